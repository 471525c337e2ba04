"""Sentence vectors: paraphrases sit together, and nothing is fetched to make them."""

import os
import subprocess
import sys

import numpy as np

from analysis.theming.embeddings import EMBEDDING_WIDTH, embed


def test_a_paraphrase_is_nearer_than_another_topic():
    doubt, same_doubt, pay = embed(
        [
            "I don't think I'm good enough for that level",
            "I doubt my own ability to do the job",
            "the salary doesn't reflect the responsibility",
        ]
    )
    assert doubt @ same_doubt > doubt @ pay + 0.1


def test_vectors_are_unit_length_and_the_same_every_time():
    first = embed(["councillors and the politics put me off", ""])
    again = embed(["councillors and the politics put me off", ""])
    assert first.shape == (2, EMBEDDING_WIDTH)
    assert np.array_equal(first, again)
    assert abs(float(np.linalg.norm(first[0])) - 1.0) < 1e-3
    assert embed([]).shape == (0, EMBEDDING_WIDTH)


def test_the_model_is_read_from_the_package_with_no_network_and_no_cache(tmp_path):
    # A fresh home and a proxy that refuses every connection: a download would fail loudly.
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "HF_HUB_OFFLINE": "1",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
    }
    script = "from analysis.theming.embeddings import embed; print(embed(['pay']).shape)"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"(1, {EMBEDDING_WIDTH})"
    assert list(tmp_path.iterdir()) == []
