"""colah's LSTM variants (lstm_core/variants.py): peephole connections and coupled forget and input
gates. Neither PyTorch nor Keras has them, so the reference is the same equations written in torch,
whose autograd gives the gradients; and finite differences; and, with no peepholes and no coupling,
the tutorial's own step (reference.py)."""

import numpy as np
import pytest

from lstm_core import reference as ref
from lstm_core import variants
from lstm_core.activations import get_activation
from lstm_core.recurrent import GateWeights
from lstm_core.variants import Variant

torch = pytest.importorskip("torch")

I, H, T = 2, 3, 6
VARIANTS = {
    "peephole": (True, False),
    "coupled": (False, True),
    "peephole and coupled": (True, True),
}
TORCH_SIGMA = {"sigmoid": torch.sigmoid, "hard_sigmoid": lambda z: torch.clamp(z / 6.0 + 0.5, 0.0, 1.0)}


def case(seed: int, peephole: bool, coupled: bool):
    rng = np.random.default_rng(seed)
    p = {g: GateWeights(rng.normal(size=(H, I)), rng.normal(size=(H, H)), rng.normal(size=H)) for g in "fico"}
    peep = {g: rng.normal(size=H) for g in "fio"} if peephole else None
    xs, h0, c0 = rng.normal(size=(T, I)), rng.normal(size=H), rng.normal(size=H)
    dhs = rng.normal(size=(T, H))  # the loss: L = Σ_t dhs_t · h_t
    return p, Variant(peep, coupled), xs, h0, c0, dhs


def torch_gradients(p, variant, xs, h0, c0, dhs, sigma_name):
    """The variant's equations written again in torch (float64), its autograd for dL/d(everything)."""
    sigma = TORCH_SIGMA[sigma_name]
    leaf = lambda a: torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=True)  # noqa: E731
    W = {g: leaf(p[g].W) for g in "fico"}
    U = {g: leaf(p[g].U) for g in "fico"}
    b = {g: leaf(p[g].b) for g in "fico"}
    peep = (
        {g: leaf(variant.peep[g]) for g in "fio"}
        if variant.peep
        else {g: torch.zeros(H, dtype=torch.float64) for g in "fio"}
    )
    x, h, c = leaf(xs), leaf(h0), leaf(c0)
    h_start, c_start, loss, hs = h, c, 0.0, []
    for t in range(T):
        f = sigma(W["f"] @ x[t] + U["f"] @ h + peep["f"] * c + b["f"])
        i = 1 - f if variant.coupled else sigma(W["i"] @ x[t] + U["i"] @ h + peep["i"] * c + b["i"])
        c = f * c + i * torch.tanh(W["c"] @ x[t] + U["c"] @ h + b["c"])
        o = sigma(W["o"] @ x[t] + U["o"] @ h + peep["o"] * c + b["o"])
        h = o * torch.tanh(c)
        hs.append(h)
        loss = loss + (torch.tensor(dhs[t]) * h).sum()
    loss.backward()
    grad = lambda a: np.zeros(tuple(a.shape)) if a.grad is None else a.grad.numpy()  # noqa: E731 (coupled: i's weights unused)
    grads = {f"{part}_{g}": grad(a) for part, leaves in (("W", W), ("U", U), ("b", b)) for g, a in leaves.items()}
    if variant.peep:
        grads.update({f"p_{g}": grad(peep[g]) for g in "fio"})
    return torch.stack(hs).detach().numpy(), grads, x.grad.numpy(), h_start.grad.numpy(), c_start.grad.numpy()


@pytest.mark.parametrize("sigma_name", ["sigmoid", "hard_sigmoid"])
@pytest.mark.parametrize("name", list(VARIANTS))
@pytest.mark.parametrize("seed", range(3))
def test_forward_and_backward_equal_the_same_equations_under_torch_autograd(name, seed, sigma_name):
    p, variant, xs, h0, c0, dhs = case(seed, *VARIANTS[name])
    sigma = get_activation(sigma_name)
    steps = variants.sequence_forward(xs, h0, c0, p, variant, sigma)
    totals, per_step = variants.sequence_backward(steps, dhs, p, variant, sigma)
    hs, expected, dx, dh0, dc0 = torch_gradients(p, variant, xs, h0, c0, dhs, sigma_name)
    np.testing.assert_allclose([s.h for s in steps], hs, rtol=0, atol=1e-13)
    assert set(totals) == set(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(totals[key], value, rtol=0, atol=1e-12, err_msg=key)
    np.testing.assert_allclose([g.dx for g in per_step], dx, rtol=0, atol=1e-12)
    np.testing.assert_allclose(per_step[0].dh_prev, dh0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(per_step[0].dc_prev, dc0, rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_gradients_agree_with_finite_differences(name):
    p, variant, xs, h0, c0, dhs = case(7, *VARIANTS[name])

    def loss() -> float:
        return float(sum(dh @ s.h for dh, s in zip(dhs, variants.sequence_forward(xs, h0, c0, p, variant))))

    totals, per_step = variants.sequence_backward(variants.sequence_forward(xs, h0, c0, p, variant), dhs, p, variant)
    probes = [
        (totals["W_f"], p["f"].W),
        (totals["U_o"], p["o"].U),
        (totals["b_c"], p["c"].b),
        (per_step[0].dc_prev, c0),
    ]
    probes += [(totals[f"p_{g}"], variant.peep[g]) for g in "fio"] if variant.peep else []
    for analytic, array in probes:
        for index in np.ndindex(array.shape):
            kept = array[index]
            array[index] = kept + 1e-6
            up = loss()
            array[index] = kept - 1e-6
            down = loss()
            array[index] = kept
            assert abs((up - down) / 2e-6 - analytic[index]) < 1e-7 * max(1.0, abs(analytic[index]))


def test_without_peepholes_or_coupling_it_is_the_tutorial_s_step():
    p, _, xs, h0, c0, dhs = case(3, False, False)
    plain = Variant()
    mine, tutorial = variants.sequence_forward(xs, h0, c0, p, plain), ref.sequence_forward(xs, h0, c0, p)
    for a, b in zip(mine, tutorial):
        np.testing.assert_array_equal(a.h, b.h)
        np.testing.assert_array_equal(a.c, b.c)
    totals, _ = variants.sequence_backward(mine, dhs, p, plain)
    expected, _ = ref.sequence_backward(tutorial, dhs, p)
    for key in expected:
        np.testing.assert_allclose(totals[key], expected[key], rtol=0, atol=1e-14, err_msg=key)


def test_coupled_gates_write_exactly_what_they_forget_and_the_input_gate_s_weights_learn_nothing():
    p, variant, xs, h0, c0, dhs = case(5, False, True)
    steps = variants.sequence_forward(xs, h0, c0, p, variant)
    for s in steps:
        np.testing.assert_array_equal(s.i, 1.0 - s.f)
    totals, _ = variants.sequence_backward(steps, dhs, p, variant)
    assert not totals["W_i"].any() and not totals["U_i"].any() and not totals["b_i"].any()


def test_the_output_gate_s_peephole_looks_at_the_new_cell_state():
    p, variant, xs, h0, c0, _ = case(11, True, False)
    s = variants.step_forward(xs[0], h0, c0, p, variant)
    z_o = p["o"].W @ xs[0] + p["o"].U @ h0 + variant.peep["o"] * s.c + p["o"].b
    np.testing.assert_array_equal(s.z_o, z_o)


@pytest.mark.parametrize(
    ("peep", "clamp", "coupled", "message"),
    [
        ({"f": np.zeros(H), "i": np.zeros(H)}, None, False, "p_o"),
        ({g: np.zeros(H + 1) for g in "fio"}, None, False, r"p_f: expected shape \(3,\)"),
        ({g: np.full(H, np.nan) for g in "fio"}, None, False, "p_f: the peephole weights must be finite"),
        (None, {"i": 0.5}, True, "clamp f instead"),
    ],
)
def test_bad_variants_are_refused_with_a_message_naming_the_problem(peep, clamp, coupled, message):
    p, _, xs, h0, c0, _ = case(1, False, False)
    with pytest.raises(ValueError, match=message):
        variants.step_forward(xs[0], h0, c0, p, Variant(peep, coupled), clamp=clamp)
