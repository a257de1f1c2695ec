"""Keep the server's full garbage collections short.

A full collection walks every object the process tracks, and once numpy, pandas, plotly and
streamlit are imported that is over a hundred thousand long-lived objects, walked holding the GIL while the server
should be answering. Streamlit used to run one after every
rerun (`runner.postScriptGC`, switched off in .streamlit/config.toml, since with 30 sessions
those collections also walked every session's objects and took most of the server's time);
Python's own generational collector still runs full collections now and then. `gc.freeze()`
moves the objects alive at that moment into a permanent generation that collections skip,
which is its documented use: objects that live as long as the process. Done once per process,
after the imports; what sessions create later is collected as before.
"""

import gc

_frozen = False


def freeze_imported_objects() -> None:
    """Move what the imports created out of every later collection (once per process)."""
    global _frozen
    if not _frozen:
        gc.freeze()
        _frozen = True
