"""The lesson's words (pages/lesson.py, ui/lesson.py) and the Train page's "what it learned"
(ui/what_it_learned.py), in English and 简体中文. Every number a
reveal states is filled in from lstm_core's answer (the `{…}` fields), never written here."""

from __future__ import annotations

EN_LESSON: dict[str, str] = {
    "page_lesson": "Lesson",
    "stepper_click_hint": "Click any cell of a heatmap to open that unit and step on the Cell anatomy page, "
    "with this model's numbers in the equations.",
    "back_to_stepper": "Back to the stepper at t = {t}",
    # the unrolled chain on the stepper (ui/chain.py)
    "chain_title": "The unrolled chain",
    "chain_caption": "One unit through consecutive steps, as in colah's picture: the cell state C runs along the top "
    "through every cell, multiplied by f at × and added to by i·C̃ at +; its wire widens as |C| grows. "
    "$h_t$ passes to the next cell below, $x_t$ enters from underneath. The colours are the heatmaps', "
    "and the chain follows the step above and ▶ Play. Click a cell to open it on the Cell anatomy page.",
    "chain_unit": "Unit",
    "chain_cells": "Cells shown",
    "chain_cells_help": "At most this many: a narrow window shows as many as fit its width (4 at 1024 px).",
    "chain_open": "Open t = {t} on the Cell anatomy page",
    # colah's variants on the cell page (lstm_core/variants.py)
    "variant_title": "Variants (colah)",
    "variant_peephole": "Peephole connections",
    "variant_peephole_help": "The gates also look at the cell state, through one weight each: f and i at $C_{t-1}$, "
    "o at the new $C_t$ (Gers & Schmidhuber, 2000). PyTorch and Keras do not have them.",
    "variant_coupled": "Coupled forget and input gates (i = 1 − f)",
    "variant_coupled_help": "Forget and write together: the cell writes new values exactly where it forgets old ones. "
    "The input gate's own weights are then not used.",
    "variant_peephole_note": "Dashed lines: the peepholes, $C_{t-1}$ into f and i, $C_t$ into o.",
    "variant_coupled_note": "Coupled gates: $i_t = 1 - f_t$, so $C_t = f_t C_{t-1} + (1 - f_t)\\tilde{C}_t$.",
    # the GRU on the cell page (ui/gru_cell.py)
    "cell_kind": "Cell",
    "cell_kind_lstm": "LSTM",
    "cell_kind_gru": "GRU",
    "cell_kind_help": "The GRU is the LSTM's lighter cousin: two gates and no separate cell state. "
    "The current model is an LSTM, so this choice is for the cell on sliders.",
    "gru_intro": "One GRU cell with one input and one unit, in PyTorch's convention. It has no cell state: "
    "the update gate z keeps $z\\cdot h_{t-1}$ of the old state and lets $(1 - z)\\cdot n$ of the candidate in.",
    "gru_gate_r": "Reset gate r",
    "gru_gate_z": "Update gate z",
    "gru_gate_n": "Candidate n",
    "gru_highway_label": "hidden state: the GRU's highway",
    "gru_cell_note": "z near 1 keeps $h_{t-1}$ almost unchanged (the GRU's highway); r near 0 makes the candidate "
    "ignore $h_{t-1}$. Three weight sets instead of the LSTM's four: a GRU layer has 3/4 of the weights.",
    # the Train page's "what did it learn" (ui/what_it_learned.py)
    "sample_title": "What it writes",
    "sample_caption": "The model at epoch {epoch} writes on from your start, one character at a time: it reads the "
    "last 32 characters (as in training), turns its softmax into a draw, and feeds the drawn character back in. "
    "Move the epoch above to watch it go from noise to words.",
    "sample_temperature": "Temperature τ",
    "sample_temperature_help": "The probabilities are raised to the power 1/τ and renormalised. τ = 1 draws from the "
    "model's own distribution; a low τ nearly always takes the most likely character (and tends to repeat "
    "itself); a high τ flattens the distribution towards random characters.",
    "sample_length": "Characters",
    "sample_start": "Start with",
    "sample_start_unknown": "The start must be at least one character, all from the training text's vocabulary: {characters}",
    "units_title": "Which unit means something",
    "units_caption": "The training text, each character coloured by one hidden unit's value after reading it. Units "
    "that follow the position, switch at one character or sit at their limits are the ones a person can read "
    "(Karpathy, Johnson & Fei-Fei, 2015): sort by that, then look.",
    "units_quantity": "State",
    "units_sort": "Sort the units by",
    "units_sort_character": "link to one character",
    "units_sort_position": "link to the position",
    "units_sort_saturation": "time near ±1",
    "units_sort_help": 'Link to one character: the largest |correlation| between the unit and "the character '
    'at t is k", over the characters. Link to the position: |correlation| with t. Time near ±1: the share of '
    "steps where |value| > 0.9.",
    "units_unit": "Unit",
    "units_unit_label": "unit {unit} · {score:.2f}",
    "units_label": "The training text coloured by {quantity} of unit {unit}",
    "units_legend": "Colour: {quantity} of unit {unit} after each character, on the stepper's scale (blue negative, "
    "red positive; the gates from dark 0 to yellow 1). Hover a character for its value.",
    "home_lesson_link": "Start here: the whole story in thirteen steps, each with a question to answer.",
    "lesson_intro": "Thirteen short steps, from a sentence to a trained network. Each has its equation, a live view "
    "that opens in the state the step describes, and a question: predict first, then check against the numbers the "
    "app computes. ← → or Page Up / Page Down move between steps.",
    "lesson_progress": "Step {k} of {n} · {answered} answered right",
    "lesson_jump": "Step",
    "lesson_previous": "Previous",
    "lesson_next": "Next",
    "lesson_open": "Open it live: {page}",
    "lesson_open_help": "Opens the page in the state this step describes, and sets the sidebar where the step "
    "needs it (the classic example; σ and tanh and the random model for the cell steps). The Lesson in the menu "
    "brings you back to this step.",
    "lesson_question": "Predict, then check",
    "lesson_your_answer": "Your answer",
    "lesson_check": "Check",
    "lesson_show": "Show the answer",
    "lesson_right": "Right.",
    "lesson_wrong": "Not quite.",
    "lesson_result": "{verdict} The answer: {right}. {reveal}",
    "lesson_revealed": "The answer: {right}. {reveal}",
    "lesson_pick_first": "Choose or type an answer first, then check it.",
    "lesson_training": "Training the classic example's network (once per server)…",
    "lesson_end": "That is the whole story: one-hot steps in, three gates and a candidate, a cell state that keeps "
    "both the memory and its gradient, a softmax out, Adam to train it. The Weights lab and the Train page are "
    "yours to explore from here.",
    # 1
    "lesson_one_hot_title": "A sentence becomes time steps",
    "lesson_one_hot_text": "The network reads one character per time step. Each character becomes a one-hot vector "
    "x_t: as many numbers as the vocabulary has characters (公主很漂亮王子真帅气, V = 10), all 0 except a single 1 at "
    "the character's place. 公主很漂亮 is five time steps, t = 0 … 4.",
    "lesson_one_hot_question": "How many zeros does x_2, the vector of 很, hold?",
    "lesson_one_hot_reveal": "x_2 holds V = {V} numbers: a single 1, at place {index} (counting from 0), and {zeros} "
    "zeros. The stepper opens at t = 2.",
    # 2
    "lesson_rnn_title": "A vanilla RNN, and why it forgets",
    "lesson_rnn_text": "A vanilla RNN keeps everything it remembers in h and rewrites h at every step, through tanh and "
    "the same matrix U. To learn, the loss's gradient must travel back through all those steps, and each one "
    "multiplies it by U and by tanh's slope (at most 1): over many steps it usually shrinks towards zero, and the "
    "first steps learn almost nothing. The Gradient flow page puts the loss on the last of T = 50 steps and plots "
    "what reaches each earlier step.",
    "lesson_rnn_question": "With that page's defaults (T = 50, recurrent scale 1), how large is the RNN's ‖∂L/∂h₀‖ "
    "at the first step?",
    "lesson_rnn_option_0": "about 1: it arrives whole",
    "lesson_rnn_option_1": "about 10⁻³",
    "lesson_rnn_option_2": "about 10⁻⁷: it has vanished",
    "lesson_rnn_reveal": "The RNN's ‖∂L/∂h₀‖ is {rnn:.1e}: after 49 steps back almost nothing is left.",
    # 3
    "lesson_forget_title": "The forget gate",
    "lesson_forget_text": "An LSTM keeps a second memory, the cell state C. At every step the forget gate f, a "
    "number between 0 and 1 per unit, decides how much of $C_{{t-1}}$ stays: f = 1 keeps all of it, f = 0 erases "
    "it. On the Cell anatomy page the gates can be clamped, so you set f and i by hand.",
    "lesson_forget_question": "f = 1 and i = 0, with $C_{{t-1}}$ = 0.8: what is C_t?",
    "lesson_forget_reveal": "C_t = 1 × 0.8 + 0 × C̃_t = {c:.3f}: the memory passes unchanged, whatever the "
    "candidate ({c_tilde:.3f}) proposes.",
    # 4
    "lesson_input_title": "The input gate and the candidate",
    "lesson_input_text": "What is new comes in two parts: the candidate C̃_t (tanh, between −1 and 1) proposes a "
    "value, and the input gate i_t (σ, between 0 and 1) decides how much of it is written into the cell.",
    "lesson_input_question": "f = 0 and i = 1: what does C_t become?",
    "lesson_input_option_0": "$C_{{t-1}}$, the old memory",
    "lesson_input_option_1": "C̃_t, the candidate",
    "lesson_input_option_2": "0",
    "lesson_input_option_3": "$C_{{t-1}}$ + C̃_t",
    "lesson_input_reveal": "C_t = 0 × {c_prev:.3f} + 1 × {c_tilde:.3f} = {c:.3f}: the old memory is forgotten and the "
    "candidate overwrites it.",
    # 5
    "lesson_update_title": "The cell state update",
    "lesson_update_text": "Both gates together: the cell keeps a share f of its old value and adds a share i of the "
    "candidate. This one line is the LSTM's memory, and there is no matrix in it: element-wise products and a sum.",
    "lesson_update_question": "f = i = 0.5, $C_{{t-1}}$ = {c_prev:.1f} and the candidate C̃_t = {c_tilde:.3f}: what "
    "is C_t?",
    "lesson_update_reveal": "C_t = 0.5 × {c_prev:.3f} + 0.5 × {c_tilde:.3f} = {c:.3f}.",
    # 6
    "lesson_output_title": "The output gate and h",
    "lesson_output_text": "The output layer and the next step's gates never read the cell state itself: they read "
    "h_t = o_t · tanh(C_t), while C_t only travels on along its highway. The output gate o decides how much of the "
    "memory is shown at this step.",
    "lesson_output_question": "o = 0: what is h_t?",
    "lesson_output_reveal": "h_t = 0 × tanh({c:.3f}) = {h:.3f}. The cell still holds C_t = {c:.3f}; it only shows "
    "nothing of it at this step.",
    # 7
    "lesson_long_title": "Long short-term memory",
    "lesson_long_text": "The name says it: C is the long-term memory, a sum that can grow and be carried unchanged "
    "for many steps; h is the short-term memory, squashed by tanh and the output gate into (−1, 1) and made anew "
    "at every step.",
    "lesson_long_question": "f = i = 1 and $C_{{t-1}}$ = 2.5: which of C_t and h_t can leave [−1, 1]?",
    "lesson_long_option_0": "only C_t",
    "lesson_long_option_1": "only h_t",
    "lesson_long_option_2": "both",
    "lesson_long_option_3": "neither",
    "lesson_long_reveal": "C_t = 2.5 + {c_tilde:.3f} = {c:.3f}, outside [−1, 1]; h_t = {o:.3f} × tanh({c:.3f}) = "
    "{h:.3f}, inside it, as always: |tanh| < 1 and o ≤ 1.",
    # 8
    "lesson_predict_title": "Next-character prediction",
    "lesson_predict_text": "An output layer turns h_t into one score per character, and softmax turns the scores "
    "into probabilities that add up to 1. Trained on 公主很漂亮, the network should give the next character the "
    "highest probability at each step. The stepper opens with the trained preset.",
    "lesson_predict_question": "After 很 (t = 2), which character does the trained network predict?",
    "lesson_predict_reveal": "After {after} it gives {token} the highest probability, {p:.0%}: the stepper's "
    "prediction bars at t = 2 show the same numbers.",
    # 9
    "lesson_highway_title": "Gradients through time: the highway",
    "lesson_highway_text": "Backwards, the cell state is a highway: along C the gradient is multiplied by f_t at "
    "each step, with no matrix and no squashing slope, so while f stays near 1 it arrives almost whole. The forget "
    "gate's bias sets where f starts: Keras's unit_forget_bias sets it to 1.",
    "lesson_highway_question": "On the Gradient flow page, raise the LSTM's forget bias from 1 to 3. What happens to "
    "its ‖∂L/∂h₀‖?",
    "lesson_highway_option_0": "it shrinks",
    "lesson_highway_option_1": "it stays about the same",
    "lesson_highway_option_2": "it grows by orders of magnitude",
    "lesson_highway_reveal": "It goes from {before:.1e} to {after:.1e}: with f closer to 1, the product of the f's "
    "along the cell state stays large.",
    # 10
    "lesson_clipping_title": "Exploding gradients and clipping",
    "lesson_clipping_text": "With large recurrent weights the same products make the gradient grow instead, and one "
    "update can throw the weights far away. Clipping by the global norm rescales the whole gradient whenever its "
    "norm is above a threshold c, and keeps its direction.",
    "lesson_clipping_question": "A gradient g = (30, 40) is clipped at c = 5. What is its norm afterwards?",
    "lesson_clipping_reveal": "‖g‖ = {norm:.0f} > 5, so g becomes g × 5/50 = ({g0:.1f}, {g1:.1f}), of norm "
    "{clipped:.3f}. On the Gradient flow page, at recurrent scale 2, the RNN's ‖∂L/∂h₀‖ is {rnn:.1f}: it has "
    "exploded.",
    # 11
    "lesson_activations_title": "σ, tanh and hard σ: their slopes",
    "lesson_activations_text": "The gates use σ, whose output lies in (0, 1) like a valve; the candidate and tanh(C) "
    "use tanh, in (−1, 1). Backwards, every step multiplies by the activation's slope, so its largest value "
    'matters. Keras\'s LSTM defaults are recurrent_activation="sigmoid", activation="tanh" and '
    "unit_forget_bias=True; standalone Keras 2 used hard_sigmoid, of slope 0.2.",
    "lesson_activations_question": "What is the largest slope σ′(z) of the sigmoid?",
    "lesson_activations_reveal": "σ′ is largest at z = 0: {sigmoid:.3f}, that is 1/4. tanh′ reaches {tanh:.3f} and "
    "Keras 3's hard σ {hard_sigmoid:.3f} (1/6). The Gradient flow page draws all of them and their slopes.",
    # 12
    "lesson_adam_title": "Training with Adam",
    "lesson_adam_text": "Training repeats four things: a forward pass, the loss, its gradient by backpropagation "
    "through time, an update. Adam divides each weight's running mean gradient m̂ by the root of its running mean "
    "square v̂, so every weight takes steps of about the learning rate η, whatever the scale of its gradient. The "
    "Train page trains a network on your text with it.",
    "lesson_adam_question": "Two weights have gradients 0.001 and 100. After Adam's first step with η = 0.01, which "
    "one moved further?",
    "lesson_adam_option_0": "the one with gradient 100, by far",
    "lesson_adam_option_1": "both moved about 0.01",
    "lesson_adam_option_2": "the one with gradient 0.001",
    "lesson_adam_reveal": "They moved {small:.4f} and {large:.4f}: at the first step m̂/√v̂ = g/|g| = ±1 (up to ε), "
    "so each weight moves by η.",
    # 13
    "lesson_gru_title": "GRU, the lighter cousin",
    "lesson_gru_text": "A GRU has no separate cell state: an update gate z mixes the old h with a new candidate n, "
    "and a reset gate r decides how much of the old h the candidate sees. Two gates and a candidate instead of "
    "three gates and a candidate.",
    "lesson_gru_question": "For the same sizes (10 inputs, H = 8), a GRU has what share of an LSTM's weights?",
    "lesson_gru_option_0": "1/2",
    "lesson_gru_option_1": "3/4",
    "lesson_gru_option_2": "the same",
    "lesson_gru_reveal": "The LSTM has {lstm} numbers, the GRU {gru}: three blocks (r, z, n) instead of four "
    "(i, f, C̃, o). The Train page trains either: switch between them and compare.",
}

ZH_LESSON: dict[str, str] = {
    "page_lesson": "课程",
    "stepper_click_hint": "点击热图中的任意格子，就会在细胞解剖页面打开该单元和该时间步，方程中填入这个模型的数字。",
    "back_to_stepper": "回到步进页面 t = {t}",
    "chain_title": "展开的链",
    "chain_caption": "一个单元在连续几个时间步里的样子，就像 colah 的图：细胞状态 C 沿顶部穿过每个细胞，"
    "在 × 处乘以 f，在 + 处加上 i·C̃；|C| 越大，这条线越粗。$h_t$ 从下方传给下一个细胞，$x_t$ 从底下进入。"
    "颜色与热图相同，链会跟着上面的时间步和 ▶ 播放移动。点击一个细胞，就在细胞解剖页面打开它。",
    "chain_unit": "单元",
    "chain_cells": "显示的细胞数",
    "chain_cells_help": "最多显示这么多：窗口较窄时只显示放得下的数量（1024 像素宽时为 4 个）。",
    "chain_open": "在细胞解剖页面打开 t = {t}",
    "variant_title": "变体（colah）",
    "variant_peephole": "窥视孔连接",
    "variant_peephole_help": "门也通过各自的一个权重看细胞状态：f 和 i 看 $C_{t-1}$，o 看新的 $C_t$"
    "（Gers 和 Schmidhuber，2000）。PyTorch 和 Keras 都没有这种连接。",
    "variant_coupled": "耦合遗忘门和输入门（i = 1 − f）",
    "variant_coupled_help": "遗忘和写入一起决定：细胞在忘掉旧值的地方正好写入新值。此时输入门自己的权重不再使用。",
    "variant_peephole_note": "虚线是窥视孔连接：$C_{t-1}$ 进入 f 和 i，$C_t$ 进入 o。",
    "variant_coupled_note": "耦合门：$i_t = 1 - f_t$，所以 $C_t = f_t C_{t-1} + (1 - f_t)\\tilde{C}_t$。",
    "cell_kind": "细胞",
    "cell_kind_lstm": "LSTM",
    "cell_kind_gru": "GRU",
    "cell_kind_help": "GRU 是 LSTM 更轻的近亲：两个门，没有单独的细胞状态。当前模型是 LSTM，所以这个选择只用于滑块控制的单元。",
    "gru_intro": "一个只有一个输入、一个单元的 GRU 细胞，采用 PyTorch 的约定。它没有细胞状态："
    "更新门 z 保留旧状态的 $z\\cdot h_{t-1}$，并放进候选值的 $(1 - z)\\cdot n$。",
    "gru_gate_r": "重置门 r",
    "gru_gate_z": "更新门 z",
    "gru_gate_n": "候选值 n",
    "gru_highway_label": "隐藏状态：GRU 的高速公路",
    "gru_cell_note": "z 接近 1 时，$h_{t-1}$ 几乎原样保留（GRU 的高速公路）；r 接近 0 时，候选值不看 $h_{t-1}$。"
    "只有三组权重，而 LSTM 有四组：一个 GRU 层的权重是 LSTM 的 3/4。",
    "sample_title": "它写出什么",
    "sample_caption": "第 {epoch} 轮的模型从你给的开头往下写，一次一个字：它读最后 32 个字（和训练时一样），"
    "把 softmax 变成一次抽样，再把抽到的字送回去。拖动上面的轮数，看它从乱码变成词语。",
    "sample_temperature": "温度 τ",
    "sample_temperature_help": "把概率取 1/τ 次方再归一化。τ = 1 按模型自己的分布抽样；τ 很低时几乎总是取最可能的字"
    "（容易重复）；τ 很高时分布变平，接近随机的字。",
    "sample_length": "字数",
    "sample_start": "开头",
    "sample_start_unknown": "开头至少要有一个字，而且都要来自训练文本的词表：{characters}",
    "units_title": "哪个单元有意义",
    "units_caption": "训练文本的每个字按某个隐藏单元读完它之后的值着色。跟随位置变化、在某个字处切换、或停在极限附近的单元，"
    "是人能读懂的单元（Karpathy、Johnson 与 Fei-Fei，2015）：按这些排序，然后看。",
    "units_quantity": "状态",
    "units_sort": "单元排序依据",
    "units_sort_character": "与某个字的关联",
    "units_sort_position": "与位置的关联",
    "units_sort_saturation": "接近 ±1 的时间",
    "units_sort_help": "与某个字的关联：单元与“t 处的字是 k”之间 |相关系数| 在所有字上的最大值。与位置的关联：与 t 的 "
    "|相关系数|。接近 ±1 的时间：|值| > 0.9 的步数比例。",
    "units_unit": "单元",
    "units_unit_label": "单元 {unit} · {score:.2f}",
    "units_label": "按单元 {unit} 的{quantity}着色的训练文本",
    "units_legend": "颜色：单元 {unit} 读完每个字后的{quantity}，与步进页面的色标相同（蓝为负，红为正；门从深色的 0 到黄色的 1）。"
    "把鼠标放在字上可看到数值。",
    "home_lesson_link": "从这里开始：用十三步讲完整个故事，每一步都有一个问题要回答。",
    "lesson_intro": "十三个小步骤，从一个句子到一个训练好的网络。每一步都有它的公式、一个按该步所描述的状态打开的实时视图，"
    "以及一个问题：先预测，再用应用算出的数字核对。用 ← → 或 Page Up / Page Down 在步骤之间移动。",
    "lesson_progress": "第 {k} 步，共 {n} 步 · 已答对 {answered} 题",
    "lesson_jump": "步骤",
    "lesson_previous": "上一步",
    "lesson_next": "下一步",
    "lesson_open": "打开实时视图：{page}",
    "lesson_open_help": "按这一步描述的状态打开该页面，并在需要时设置侧边栏（经典例子；细胞相关的步骤用 σ、tanh 和随机模型）。"
    "菜单里的“课程”会带你回到这一步。",
    "lesson_question": "先预测，再核对",
    "lesson_your_answer": "你的答案",
    "lesson_check": "核对",
    "lesson_show": "显示答案",
    "lesson_right": "答对了。",
    "lesson_wrong": "还不对。",
    "lesson_result": "{verdict}答案：{right}。{reveal}",
    "lesson_revealed": "答案：{right}。{reveal}",
    "lesson_pick_first": "请先选择或输入答案，再核对。",
    "lesson_training": "正在训练经典例子的网络（每台服务器只训练一次）…",
    "lesson_end": "这就是完整的故事：独热编码的时间步进入，三个门和一个候选值，一个同时保住记忆和梯度的细胞状态，"
    "softmax 输出，再用 Adam 训练。接下来可以在权重实验室和训练页面自由探索。",
    "lesson_one_hot_title": "句子变成时间步",
    "lesson_one_hot_text": "网络每个时间步读一个字。每个字变成一个独热向量 x_t：长度等于词表的字数"
    "（公主很漂亮王子真帅气，V = 10），只有该字所在的位置是 1，其余都是 0。公主很漂亮就是五个时间步，t = 0 … 4。",
    "lesson_one_hot_question": "很 的向量 x_2 里有多少个 0？",
    "lesson_one_hot_reveal": "x_2 有 V = {V} 个数：位置 {index}（从 0 数起）上是唯一的 1，其余 {zeros} 个都是 0。"
    "步进页面在 t = 2 打开。",
    "lesson_rnn_title": "普通 RNN 为什么会遗忘",
    "lesson_rnn_text": "普通 RNN 把记住的一切都放在 h 里，每一步都经过 tanh 和同一个矩阵 U 改写 h。为了学习，损失的梯度"
    "要沿着所有这些步往回传，每一步都乘以 U 和 tanh 的斜率（最多为 1）：经过许多步后它通常缩小到接近 0，"
    "最早的几步几乎学不到东西。梯度流页面把损失放在 T = 50 步的最后一步，并画出传回每一步的梯度大小。",
    "lesson_rnn_question": "在该页的默认设置下（T = 50，循环缩放 1），RNN 在第一步的 ‖∂L/∂h₀‖ 有多大？",
    "lesson_rnn_option_0": "约 1：完整传回",
    "lesson_rnn_option_1": "约 10⁻³",
    "lesson_rnn_option_2": "约 10⁻⁷：几乎消失",
    "lesson_rnn_reveal": "RNN 的 ‖∂L/∂h₀‖ 是 {rnn:.1e}：往回传了 49 步之后几乎什么都不剩。",
    "lesson_forget_title": "遗忘门",
    "lesson_forget_text": "LSTM 还有第二份记忆：细胞状态 C。每一步，遗忘门 f（每个单元一个 0 到 1 之间的数）决定 "
    "$C_{{t-1}}$ 保留多少：f = 1 全部保留，f = 0 全部擦除。在细胞解剖页面可以固定各个门的值，亲手设定 f 和 i。",
    "lesson_forget_question": "f = 1、i = 0，$C_{{t-1}}$ = 0.8：C_t 是多少？",
    "lesson_forget_reveal": "C_t = 1 × 0.8 + 0 × C̃_t = {c:.3f}：记忆原样通过，不管候选值（{c_tilde:.3f}）提议什么。",
    "lesson_input_title": "输入门与候选值",
    "lesson_input_text": "新信息分两部分进入：候选值 C̃_t（tanh，在 −1 到 1 之间）提出一个值，输入门 i_t（σ，在 0 到 1 "
    "之间）决定把其中多少写进细胞。",
    "lesson_input_question": "f = 0、i = 1：C_t 变成什么？",
    "lesson_input_option_0": "$C_{{t-1}}$，旧的记忆",
    "lesson_input_option_1": "C̃_t，候选值",
    "lesson_input_option_2": "0",
    "lesson_input_option_3": "$C_{{t-1}}$ + C̃_t",
    "lesson_input_reveal": "C_t = 0 × {c_prev:.3f} + 1 × {c_tilde:.3f} = {c:.3f}：旧的记忆被遗忘，候选值把它覆盖了。",
    "lesson_update_title": "细胞状态的更新",
    "lesson_update_text": "两个门一起作用：细胞保留旧值的 f 份，再加上候选值的 i 份。这一行就是 LSTM 的记忆，"
    "其中没有矩阵，只有逐元素的乘法和一次加法。",
    "lesson_update_question": "f = i = 0.5，$C_{{t-1}}$ = {c_prev:.1f}，候选值 C̃_t = {c_tilde:.3f}：C_t 是多少？",
    "lesson_update_reveal": "C_t = 0.5 × {c_prev:.3f} + 0.5 × {c_tilde:.3f} = {c:.3f}。",
    "lesson_output_title": "输出门与 h",
    "lesson_output_text": "输出层和下一步的各个门从不直接读细胞状态本身：它们读的是 h_t = o_t · tanh(C_t)，"
    "而 C_t 只沿着它的高速通道继续传下去。输出门 o 决定这一步把多少记忆展示出来。",
    "lesson_output_question": "o = 0：h_t 是多少？",
    "lesson_output_reveal": "h_t = 0 × tanh({c:.3f}) = {h:.3f}。细胞仍然保存着 C_t = {c:.3f}，只是这一步一点也不展示。",
    "lesson_long_title": "长短期记忆",
    "lesson_long_text": "名字已经说明了一切：C 是长期记忆，一个可以增长、可以原样保持许多步的和；h 是短期记忆，"
    "被 tanh 和输出门压进 (−1, 1)，每一步都重新生成。",
    "lesson_long_question": "f = i = 1，$C_{{t-1}}$ = 2.5：C_t 和 h_t 中哪个可能超出 [−1, 1]？",
    "lesson_long_option_0": "只有 C_t",
    "lesson_long_option_1": "只有 h_t",
    "lesson_long_option_2": "两个都会",
    "lesson_long_option_3": "两个都不会",
    "lesson_long_reveal": "C_t = 2.5 + {c_tilde:.3f} = {c:.3f}，超出了 [−1, 1]；h_t = {o:.3f} × tanh({c:.3f}) = "
    "{h:.3f}，仍在其中，永远如此：|tanh| < 1 且 o ≤ 1。",
    "lesson_predict_title": "预测下一个字",
    "lesson_predict_text": "输出层把 h_t 变成每个字一个分数，softmax 再把分数变成加起来等于 1 的概率。"
    "在公主很漂亮上训练之后，网络在每一步都应该给下一个字最高的概率。步进页面会用训练好的预设打开。",
    "lesson_predict_question": "在 很（t = 2）之后，训练好的网络预测哪个字？",
    "lesson_predict_reveal": "在 {after} 之后，它给 {token} 的概率最高，为 {p:.0%}：步进页面在 t = 2 的预测条形图显示的是同样的数字。",
    "lesson_highway_title": "随时间反向传播：高速通道",
    "lesson_highway_text": "反向传播时，细胞状态是一条高速通道：沿着 C，梯度每一步只乘以 f_t，没有矩阵，也没有压缩的斜率，"
    "所以只要 f 接近 1，梯度就几乎完整地传回。遗忘门的偏置决定 f 从哪里开始：Keras 的 unit_forget_bias 把它设为 1。",
    "lesson_highway_question": "在梯度流页面把 LSTM 的遗忘门偏置从 1 调到 3，它的 ‖∂L/∂h₀‖ 会怎样？",
    "lesson_highway_option_0": "变小",
    "lesson_highway_option_1": "差不多不变",
    "lesson_highway_option_2": "增大好几个数量级",
    "lesson_highway_reveal": "它从 {before:.1e} 变成 {after:.1e}：f 更接近 1，沿细胞状态的 f 的连乘就保持得更大。",
    "lesson_clipping_title": "梯度爆炸与裁剪",
    "lesson_clipping_text": "循环权重很大时，同样的连乘会让梯度反而增大，一次更新就可能把权重甩得很远。"
    "按全局范数裁剪：当梯度的范数超过阈值 c 时，把整个梯度按比例缩小，方向不变。",
    "lesson_clipping_question": "梯度 g = (30, 40) 按 c = 5 裁剪，裁剪后它的范数是多少？",
    "lesson_clipping_reveal": "‖g‖ = {norm:.0f} > 5，所以 g 变成 g × 5/50 = ({g0:.1f}, {g1:.1f})，范数为 {clipped:.3f}。"
    "在梯度流页面，循环缩放为 2 时，RNN 的 ‖∂L/∂h₀‖ 是 {rnn:.1f}：梯度爆炸了。",
    "lesson_activations_title": "σ、tanh 与 hard σ：它们的斜率",
    "lesson_activations_text": "门使用 σ，输出在 (0, 1) 之间，像一个阀门；候选值和 tanh(C) 使用 tanh，在 (−1, 1) 之间。"
    "反向传播时每一步都要乘以激活函数的斜率，所以斜率的最大值很重要。Keras 的 LSTM 默认 "
    'recurrent_activation="sigmoid"、activation="tanh"、unit_forget_bias=True；独立的 Keras 2 用的是斜率为 0.2 的 hard_sigmoid。',
    "lesson_activations_question": "sigmoid 的斜率 σ′(z) 最大是多少？",
    "lesson_activations_reveal": "σ′ 在 z = 0 处最大：{sigmoid:.3f}，即 1/4。tanh′ 最大为 {tanh:.3f}，Keras 3 的 hard σ "
    "为 {hard_sigmoid:.3f}（1/6）。梯度流页面画出了它们和它们的斜率。",
    "lesson_adam_title": "用 Adam 训练",
    "lesson_adam_text": "训练不断重复四件事：前向计算、损失、随时间反向传播求梯度、更新。Adam 用每个权重梯度的滑动平均 m̂ "
    "除以其平方滑动平均 v̂ 的平方根，所以不论梯度的大小如何，每个权重每步都大约移动学习率 η。训练页面用它在你的文本上训练网络。",
    "lesson_adam_question": "两个权重的梯度分别是 0.001 和 100。用 η = 0.01 走完 Adam 的第一步后，哪个移动得更远？",
    "lesson_adam_option_0": "梯度为 100 的那个，远远更多",
    "lesson_adam_option_1": "两个都移动了约 0.01",
    "lesson_adam_option_2": "梯度为 0.001 的那个",
    "lesson_adam_reveal": "它们移动了 {small:.4f} 和 {large:.4f}：第一步时 m̂/√v̂ = g/|g| = ±1（忽略 ε），"
    "所以每个权重都移动 η。",
    "lesson_gru_title": "GRU：更轻的近亲",
    "lesson_gru_text": "GRU 没有单独的细胞状态：更新门 z 把旧的 h 和新的候选值 n 混合起来，重置门 r 决定候选值能看到多少旧的 h。"
    "两个门加一个候选值，而不是三个门加一个候选值。",
    "lesson_gru_question": "同样的尺寸（10 个输入，H = 8）下，GRU 的权重数量是 LSTM 的几分之几？",
    "lesson_gru_option_0": "1/2",
    "lesson_gru_option_1": "3/4",
    "lesson_gru_option_2": "一样多",
    "lesson_gru_reveal": "LSTM 有 {lstm} 个数，GRU 有 {gru} 个：三个块（r、z、n）而不是四个（i、f、C̃、o）。"
    "训练页面两者都能训练：切换着比较一下。",
}
