"""ui/allocator.py: a training step reuses the previous step's memory instead of faulting in
fresh pages (glibc only; the suite's Linux is glibc). In a process of its own: the setting is
process-wide."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

STEPS = """
import resource, sys
import numpy as np
from lstm_core import LSTM, Adam, Model, SoftmaxHead, Vocabulary, train
from lstm_core.tasks import next_character
from ui.allocator import reuse_freed_memory

if sys.argv[1] == "reuse":
    assert reuse_freed_memory()
text = ("公主很漂亮，王子真帅气。" * 20)[:200]
data = next_character(text, Vocabulary.from_text(text), window=32)  # the Train page's windows and batch
model = Model(LSTM.init(data.inputs.shape[-1], 64, seed=0), SoftmaxHead.init(64, len(data.classes), seed=1))
optimizer = Adam(lr=0.01)
train(model, data.inputs, data.targets, optimizer=optimizer, epochs=2, batch_size=32, seed=0)  # warm
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
result = train(model, data.inputs, data.targets, optimizer=optimizer, epochs=10, batch_size=32, seed=1)
steps = 10 * -(-data.inputs.shape[1] // 32)
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / steps)
"""


def faults_per_step(mode: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", STEPS, mode], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return float(done.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_a_training_step_reuses_the_last_step_s_memory():
    assert faults_per_step("reuse") < 20  # glibc's defaults: over a thousand a step on this task


def test_where_there_is_no_glibc_it_does_nothing(monkeypatch):
    from ui import allocator

    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    assert allocator.reuse_freed_memory() is False
