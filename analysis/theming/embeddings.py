"""Sentence vectors from WordLlama's static token embeddings, read from inside the package.

WordLlama (MIT) ships its 256-dimensional weights and tokenizer in the wheel, so nothing is
downloaded: the files are opened where pip put them. A comment's vector is the mean of its
tokens' vectors, normalised, which places paraphrases ("not good enough", "doubt my ability")
nearer each other than word counts can.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
EMBEDDING_WIDTH = 256


@lru_cache(maxsize=1)
def _model() -> Any:
    import wordllama
    from safetensors import safe_open
    from wordllama.inference import WordLlamaInference
    from wordllama.wordllama import WordLlama

    root = Path(wordllama.__file__).parent
    tokenizer = WordLlama.load_tokenizer(root / TOKENIZER)
    with safe_open(str(root / WEIGHTS), framework="np") as handle:
        weights = handle.get_tensor("embedding.weight")
    return WordLlamaInference(weights, tokenizer)


def embed(texts: Sequence[str]) -> np.ndarray:
    """One unit-length float32 vector per text (zeros for a text with no tokens)."""
    vectors = np.zeros((len(texts), EMBEDDING_WIDTH), dtype=np.float32)
    filled = [index for index, text in enumerate(texts) if text.strip()]
    if filled:
        found = _model().embed([texts[index] for index in filled], norm=False)
        found = np.asarray(found, dtype=np.float32)
        norms = np.linalg.norm(found, axis=1, keepdims=True)
        # A text of only unknown tokens has a zero vector: it stays zero, not NaN.
        vectors[filled] = np.divide(found, norms, out=np.zeros_like(found), where=norms > 0)
    return vectors
