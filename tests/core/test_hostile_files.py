"""Every upload is hostile: each attack file is refused with a clear message or loaded correctly,
no byte of a server file reaches an array, a parse stays under its memory bound, and a crash or
a runaway parse ends only the worker process.

The files are built by tests/core/hostile_files.py with the real libraries. Most go through the
isolated path the Models page uses (`load_weights`); the mutation fuzz calls the same readers
in this process (`isolated=False`) to stay within a minute.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import zlib

import numpy as np
import pytest
import torch

from lstm_core import isolation
from lstm_core.files import load_weights
from lstm_core.readers import MAX_VALUES
from lstm_core.refusals import MESSAGES, FileRefused

from . import hostile_files as hostile

PEAK_MB = {"numpy": 300, "torch": 700}  # worker peak RSS bounds; the kernel's hard cap is 1 GB


def refused(data: bytes, name: str, key: str, isolated: bool = True) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        load_weights(data, name, isolated=isolated)
    assert caught.value.key == key, str(caught.value)
    return caught.value


def worker_run(data: bytes, name: str) -> tuple[dict, float]:
    """One worker reading `data`, as the server runs it: its answer's header and its peak
    resident memory (MB), measured by a parent process of its own."""
    probe = (
        "import json, resource, subprocess, sys; from lstm_core import isolation; "
        "done = subprocess.run(isolation.worker_command(sys.argv[1]), input=sys.stdin.buffer.read(), "
        "capture_output=True, env=isolation._worker_environment('/tmp')); "
        "print(json.dumps([done.stdout.partition(b'\\n')[0].decode(), "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, name], input=data, capture_output=True, cwd=isolation._ROOT, check=True
    )
    header, peak = json.loads(done.stdout)
    return json.loads(header), peak


# ---- 1. nothing outside the file is ever read ------------------------------------------------


@pytest.mark.parametrize("path", hostile.SERVER_FILES)
@pytest.mark.parametrize("packaging", ["weights.h5", "keras"])
def test_hdf5_external_storage_is_refused_before_any_byte_is_read(path, packaging):
    data = hostile.external_storage(path)
    if packaging == "keras":
        data = hostile.keras_archive(data)
    error = refused(data, f"m.{packaging}", "h5_outside")
    assert "external storage" in str(error)


@pytest.mark.parametrize(
    "build,how",
    [
        (hostile.virtual_dataset, "a virtual dataset"),
        (lambda: hostile.linked("soft"), "a soft link"),
        (lambda: hostile.linked("external"), "an external link"),
    ],
)
def test_virtual_datasets_and_links_are_refused(build, how):
    assert how in str(refused(build(), "m.weights.h5", "h5_outside"))


def test_the_refusal_reads_nothing_even_when_the_reader_would_follow_the_file(tmp_path):
    """The attack is real: h5py itself happily reads the server's file through the upload."""
    import io

    import h5py

    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"S3CRET" * 20)
    data = hostile.external_storage(str(secret))
    with h5py.File(io.BytesIO(data), "r") as handle:
        assert b"S3CRET" in handle["layers/lstm/cell/vars/1"][()].tobytes()
    refused(data, "m.weights.h5", "h5_outside")


# ---- 2. a crash or a runaway parse ends only the worker ---------------------------------------


@pytest.mark.parametrize(
    "code,key",
    [
        ("import ctypes; ctypes.string_at(0)", "crashed"),  # a segfault, like h5py's on some VDS
        ("import os; os.abort()", "crashed"),
        ("while True: pass", "timed_out"),
    ],
)
def test_a_worker_that_crashes_or_spins_is_a_refusal_and_the_server_lives(monkeypatch, code, key):
    monkeypatch.setattr(isolation, "worker_command", lambda name: [sys.executable, "-c", code])
    monkeypatch.setattr(isolation, "WALL_SECONDS", 2)
    refused(b"\x00" * 10, "m.npz", key)
    monkeypatch.undo()
    assert load_weights(hostile.valid_files()["m.npz"], "m.npz").recurrent.hidden_size == 4  # still serving


def test_the_worker_s_address_space_is_capped_by_the_kernel():
    code = (
        "from lstm_core.isolation import limit_worker; limit_worker()\n"
        "import numpy\ntry:\n    numpy.ones(2**31, dtype=numpy.uint8)\nexcept MemoryError:\n    print('capped')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=isolation._ROOT)
    assert done.stdout.strip() == "capped", done.stderr


def test_a_worker_over_its_cpu_seconds_is_stopped_by_the_kernel():
    code = "from lstm_core.isolation import limit_worker; limit_worker()\nwhile True: pass"
    done = subprocess.run(
        [sys.executable, "-c", code.replace("limit_worker()", "limit_worker(cpu_seconds=1)")],
        cwd=isolation._ROOT,
        timeout=30,
    )
    assert done.returncode == -signal.SIGXCPU


def test_the_worker_sees_none_of_the_server_s_environment(monkeypatch):
    monkeypatch.setenv("LSTM_LAB_SECRET", "hunter2")
    env = isolation._worker_environment("/tmp")
    assert "LSTM_LAB_SECRET" not in env and all("hunter2" not in value for value in env.values())


# ---- 3. bombs: declared sizes are checked before reading --------------------------------------


@pytest.mark.parametrize(
    "build,name,key,library",
    [
        (lambda: hostile.npz_declaring((50_000, 50_000)), "m.npz", "too_many_values", "numpy"),  # 18.6 GiB
        (lambda: hostile.deflated_npz(10_000_000), "m.npz", "unpacks_too_large", "numpy"),  # 80 KB → 80 MB
        (hostile.unwritten_chunked, "m.weights.h5", "too_many_values", "numpy"),  # 6 KB → 80 GB
        (hostile.gzip_chunks, "m.weights.h5", "too_many_values", "numpy"),  # 60 KB → 128 MB
        (lambda: hostile.keras_archive(hostile.unwritten_chunked()), "m.keras", "too_many_values", "numpy"),
        (lambda: hostile.deflated_torch(64_000_000), "m.pt", "unpacks_too_large", "torch"),  # 0.2 MB → 256 MB
        (lambda: hostile.zero_stride((10**6, 10**6)), "m.pt", "too_many_values", "torch"),
        (lambda: hostile.zero_stride((16, 3)), "m.pt", "torch_tensor", "torch"),
        (hostile.billion_laughs, "m.pt", "torch_tensor", "torch"),  # 10^9 shared list entries
    ],
    ids=[
        "npz-header-18GiB",
        "npz-deflated",
        "h5-unwritten-chunks",
        "h5-gzip-chunks",
        "keras-unwritten",
        "pt-deflated-storages",
        "pt-zero-stride-huge",
        "pt-zero-stride-small",
        "pt-billion-laughs",
    ],
)
def test_bombs_are_refused_within_a_memory_bound(build, name, key, library):
    data = build()
    assert len(data) < 2**20
    answer, peak_mb = worker_run(data, name)
    assert answer.get("refused") == key, answer
    assert peak_mb < PEAK_MB[library]
    refused(data, name, key, isolated=False)


# ---- 4. every kind of error is a clear refusal ------------------------------------------------


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16, torch.float8_e4m3fn])
def test_half_precision_tensors_are_widened_not_refused(dtype):
    state = hostile.torch_lstm_state(dtype)
    loaded = load_weights(hostile.torch_file(state), "half.pt", isolated=False)
    expected = state["weight_hh_l0"].float().numpy()
    np.testing.assert_array_equal(loaded.layers[0].to_torch()["weight_hh_l0"], expected)


@pytest.mark.filterwarnings("ignore:torch.quantize_per_tensor")
@pytest.mark.parametrize(
    "make,detail",
    [
        (lambda t: torch.quantize_per_tensor(t, 0.1, 0, torch.qint8), "quantized"),
        (lambda t: t.to_sparse(), "sparse"),
        (lambda t: torch.empty(t.shape, device="meta"), "meta tensor"),
        (lambda t: t.to(torch.complex64), "complex"),
    ],
)
def test_tensors_without_plain_values_are_refused_by_name(make, detail):
    state = hostile.torch_lstm_state()
    state["weight_ih_l0"] = make(state["weight_ih_l0"])
    error = refused(hostile.torch_file(state), "odd.pt", "torch_tensor", isolated=False)
    assert "weight_ih_l0" in str(error) and detail in str(error)


@pytest.mark.parametrize(
    "data,name,key",
    [
        (hostile.deep_json(3_000), "m.json", "json_too_deep"),
        (hostile.deep_json(100_000), "m.json", "json_too_deep"),
        (hostile.keras_archive(hostile.valid_files()["m.weights.h5"], b"[" * 100_000), "m.keras", "keras_config"),
        (hostile.zip_with_flags(hostile.valid_files()["m.keras"], bad_crc=True), "m.keras", "zip_damaged"),
        (hostile.zip_with_flags(hostile.valid_files()["m.npz"], encrypted=True), "m.npz", "zip_encrypted"),
        (hostile.zip_with_flags(hostile.valid_files()["m.keras"], method=99), "m.keras", "zip_method"),
        (hostile.h5_with(lambda f: f.create_dataset("layers/lstm/cell/vars", data=[1.0])), "m.weights.h5", "h5_layout"),
        (
            hostile.h5_with(lambda f: f.create_dataset("layers/lstm/cell/vars/kernel", data=[1.0])),
            "m.weights.h5",
            "h5_layout",
        ),
        (hostile.h5_with(lambda f: f.create_group("layers/lstm/cell/vars/0")), "m.weights.h5", "h5_layout"),
        (hostile.h5_with(lambda f: f.create_dataset("layers", data=[1.0])), "m.weights.h5", "h5_no_layers"),
        (hostile.huge_weights(), "m.npz", "weight_too_large"),
        (b"hello, not a model", "m.pt", "not_torch"),
        (hostile.raw_pickle_bytes(), "m.pt", "torch_code"),
    ],
    ids=[
        "json-3000-deep",
        "json-100000-deep",
        "keras-config-deep",
        "keras-bad-crc",
        "npz-encrypted",
        "keras-method-99",
        "h5-vars-is-dataset",
        "h5-vars-misnamed",
        "h5-var-is-group",
        "h5-layers-is-dataset",
        "weights-1.7e308",
        "pt-plain-text",
        "pt-raw-pickle",
    ],
)
def test_damaged_and_odd_files_get_their_own_refusal(data, name, key):
    refused(data, name, key)


def test_json_with_a_byte_order_mark_loads():
    plain = hostile.valid_files()["m.json"]
    with_bom = load_weights(b"\xef\xbb\xbf" + plain, "bom.json")
    np.testing.assert_array_equal(with_bom.recurrent.W, load_weights(plain, "plain.json").recurrent.W)


def test_a_pytorch_head_that_does_not_read_h_is_not_taken_for_the_head():
    state = hostile.torch_lstm_state()
    state["fc.weight"], state["fc.bias"] = torch.ones(5, 7), torch.zeros(5)  # reads 7 values, H = 4
    loaded = load_weights(hostile.torch_file(state), "m.pt", isolated=False)
    assert loaded.head is None
    state["out.weight"], state["out.bias"] = torch.ones(3, 4), torch.zeros(3)
    assert load_weights(hostile.torch_file(state), "m.pt", isolated=False).head.Wy.shape == (3, 4)


def test_every_refusal_has_a_message_in_both_languages():
    from ui.i18n import EN, ZH

    for key in MESSAGES:
        assert f"file_{key}" in EN and f"file_{key}" in ZH, key


# ---- 5. a seeded mutation fuzz: no escape ----------------------------------------------------


def mutants(data: bytes, count: int, seed: int):
    rng = random.Random(seed)
    for _ in range(count):
        mutant = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(mutant))
            action = rng.choice("flip insert delete".split())
            if action == "flip":
                mutant[at] ^= 1 << rng.randrange(8)
            elif action == "insert":
                mutant[at:at] = bytes([rng.randrange(256)])
            else:
                del mutant[at]
        yield bytes(mutant)


@pytest.mark.parametrize("name", ["m.npz", "m.json", "m.weights.h5", "m.keras", "m.pt"])
def test_mutated_files_load_or_are_refused_never_escape(name):
    seed_file = hostile.valid_files()[name]
    escapes, loaded = [], 0
    for k, mutant in enumerate(mutants(seed_file, 80, seed=zlib.crc32(name.encode()))):
        try:
            result = load_weights(mutant, name, isolated=False)
            loaded += 1
            assert all(
                np.isfinite(array).all()
                for array in result.layers[0].parameters().values()
                if isinstance(array, np.ndarray)
            )
        except FileRefused:
            pass
        except Exception as error:  # noqa: BLE001 - the point is to catch every other kind
            escapes.append((k, f"{type(error).__name__}: {error}"[:160]))
    assert not escapes, escapes[:5]


def test_a_worker_answers_only_numbers_and_its_answer_is_read_without_pickle():
    done = subprocess.run(
        isolation.worker_command("m.npz"),
        input=hostile.valid_files()["m.npz"],
        capture_output=True,
        cwd=isolation._ROOT,
        env=isolation._worker_environment("/tmp"),
    )
    header, _, body = done.stdout.partition(b"\n")
    assert set(json.loads(header)) == {"format", "texts", "names"} and body.startswith(b"PK")
    assert os.path.getsize(hostile.SERVER_FILES[0]) > 0  # the file the attacks aim at exists here
    assert MAX_VALUES >= 4 * 256 * (256 + 256 + 2) * 2  # a two-layer LSTM of the largest width fits
