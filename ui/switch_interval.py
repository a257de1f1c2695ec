"""Let a student's short rerun cut in on someone's long one.

Every session's script runs in a thread of the one server process, and Python lets one thread
run at a time: a thread that wants the interpreter asks the running one to hand it over, and the
running one does so after `sys.getswitchinterval()`, 5 ms by default. A cell slider's rerun
needs the interpreter many times over (the script, the figure, the messages), so while large
links build their figures it waited up to 5 ms at each turn. Handing over every 1 ms brought the
other students' W_f p95 during the links within the 2 × their idle p95 that a classroom was
promised (bench/server_load.py --links; the README has the runs), at the cost of a little
throughput for the long runs, which is the trade a classroom wants. Set once per process.
"""

import sys

SWITCH_INTERVAL = 0.001  # seconds


def share_the_interpreter_finely() -> None:
    sys.setswitchinterval(SWITCH_INTERVAL)
