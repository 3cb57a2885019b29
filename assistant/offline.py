"""Nothing in this assistant may call out to the network at run time.

The libraries underneath (Chroma, Gradio, Hugging Face helpers) phone home by
default; these variables turn that off for this process and its children.
"""

from __future__ import annotations

import os

OFFLINE_ENV = {
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "DO_NOT_TRACK": "1",
}


def apply() -> None:
    """Force the offline switches on; a user cannot turn telemetry back on by accident."""
    os.environ.update(OFFLINE_ENV)
