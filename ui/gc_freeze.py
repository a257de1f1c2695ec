"""Keep Streamlit's garbage collection after every rerun cheap.

Streamlit runs `gc.collect()` after each script run (`runner.postScriptGC`) to free the cycles
a run leaves behind. A full collection walks every object the process tracks, and once numpy,
pandas, plotly and streamlit are imported that is ≈ 117,000 long-lived objects: ≈ 75 ms on our
2-core machine after every weight move on the cell page, holding the GIL while the server
should be sending the answer. `gc.freeze()` moves the objects alive at that moment into a
permanent generation that collections skip, which is its documented use: objects that live as
long as the process. Done once per process, after the imports; what sessions create later is
collected as before.
"""

import gc

_frozen = False


def freeze_imported_objects() -> None:
    """Move what the imports created out of every later collection (once per process)."""
    global _frozen
    if not _frozen:
        gc.freeze()
        _frozen = True
