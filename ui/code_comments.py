"""The Code page's snippets with their comments in the reader's language.

The snippets (ui/code_view.py) are written once, with English comments; `in_language` swaps each
comment for its Chinese one. Comments that hold numbers or names are matched by pattern.
tests/ui/test_code_view.py checks that every comment of every snippet has a translation.
"""

from __future__ import annotations

import re

ZH_COMMENTS: dict[str, str] = {
    "(H, 1)": "(H, 1)",
    "(H, H + I), on [h_prev; x_t]": "(H, H + I)，作用在 [h_prev; x_t] 上",
    "(T, 1, H)": "(T, 1, H)",
    "(T, H)": "(T, H)",
    "(T, I): one row per timestep": "(T, I)：每个时间步一行",
    "= 1 / (1 + e^-z), without overflow": "= 1 / (1 + e^-z)，不会溢出",
    "Keras 2's hard_sigmoid": "Keras 2 的 hard_sigmoid",
    "Keras 3's hard_sigmoid": "Keras 3 的 hard_sigmoid",
    "Keras is batch-major: x is (batch, T, I)": "Keras 以批次为第一维：x 的形状是 (batch, T, I)",
    "[h_prev; x_t]": "[h_prev; x_t]",
    "candidate C̃": "候选值 C̃",
    "cell state C_0": "细胞状态 C_0",
    "cell state: the highway": "细胞状态：“高速公路”",
    "clip(z / 6 + 0.5, 0, 1), as Keras 3": "clip(z / 6 + 0.5, 0, 1)，与 Keras 3 相同",
    "forget gate: how much of C_prev to keep": "遗忘门：保留多少 C_prev",
    "h: (T, 1, H), the hidden state at every step": "h：(T, 1, H)，每一步的隐藏状态",
    "hidden state": "隐藏状态",
    "hidden state h_0": "隐藏状态 h_0",
    "input gate: how much of C̃ to write": "输入门：写入多少 C̃",
    "next-token probabilities": "下一个字符的概率",
    "nn.LSTM does not hand out its gates; the NumPy tab computes f, i, C̃, o step by step.": "nn.LSTM 不给出它的门；NumPy 标签页逐步计算 f、i、C̃、o。",
    "one number per timestep": "每个时间步一个数值",
    "one-hot: one lit entry per timestep": "独热编码：每个时间步只有一个位置为 1",
    'or "jax" / "tensorflow"': '或 "jax" / "tensorflow"',
    "output gate": "输出门",
    "the app computes in float64": "本应用用 float64 计算",
    "the names in the file: lstm.*, fc.*": "文件中的名称：lstm.*、fc.*",
    "the names of nn.LSTM and nn.Linear": "nn.LSTM 和 nn.Linear 使用的名称",
    "the output layer": "输出层",
    "the output layer on every h_t": "作用在每个 h_t 上的输出层",
    "the predicted next value": "预测的下一个数值",
    "time-major: x is (T, batch, I)": "以时间为第一维：x 的形状是 (T, batch, I)",
    "to look at h_t too": "也用来查看 h_t",
}

ZH_PATTERNS: list[tuple[re.Pattern, str]] = [
    (
        re.compile(
            r"LSTM Gate Lab: this model in (PyTorch|Keras 3)\. I = (\d+) inputs, H = (\d+) units, "
            r"gates (\w+), candidate (\w+)\."
        ),
        r"LSTM 门控实验室：用 \1 写出的这个模型。I = \2 个输入，H = \3 个隐藏单元，门用 \4，候选值用 \5。",
    ),
    (
        re.compile(
            r"LSTM Gate Lab: this model in plain NumPy, the tutorial's way\. I = (\d+) inputs, H = (\d+) units\."
        ),
        r"LSTM 门控实验室：按教程的写法，用纯 NumPy 写出的这个模型。I = \1 个输入，H = \2 个隐藏单元。",
    ),
    (
        re.compile(r"The weights are in (\S+) \(download it next to this code\)\."),
        r"权重在 \1 中（把它下载到这段代码旁边）。",
    ),
    (
        re.compile(r"nn\.LSTM always uses sigmoid gates and a tanh candidate; this model uses (\w+) and"),
        r"nn.LSTM 总是用 sigmoid 门和 tanh 候选值；这个模型用的是 \1 和",
    ),
    (
        re.compile(r"(\w+), so the loop is written out \(PyTorch's gate order: i, f, g = C̃, o\)\."),
        r"\1，所以把循环完整写了出来（PyTorch 的门顺序：i、f、g = C̃、o）。",
    ),
]

COMMENT = re.compile(r"# (.*)$")


def translate_comment(text: str, language: str) -> str | None:
    """`text` (a comment without its '# ') in `language`; None when there is no translation."""
    if language != "zh":
        return text
    if text in ZH_COMMENTS:
        return ZH_COMMENTS[text]
    for pattern, replacement in ZH_PATTERNS:
        if pattern.fullmatch(text):
            return pattern.sub(replacement, text)
    return None


def in_language(code: str, language: str) -> str:
    """`code` with every comment in `language` (a comment without a translation stays English)."""
    if language != "zh":
        return code
    lines = []
    for line in code.split("\n"):
        match = COMMENT.search(line)
        translated = translate_comment(match.group(1), language) if match else None
        lines.append(line[: match.start(1)] + translated if translated is not None else line)
    return "\n".join(lines)
