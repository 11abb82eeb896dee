"""``teikit serve``: the web edition served on this machine while its sources are edited,
rebuilt on every save and reloaded in the browser.

:mod:`.session` (``serve()``: build, serve, watch, rebuild until interrupted), :mod:`.watch`
(what is watched, the watcher threads), :mod:`.debounce` (a burst of changes is one rebuild, a
change during a rebuild one more), :mod:`.outcome` (what a build's report means for the
preview), :mod:`.pages` (the last good page of a failing document), :mod:`.server` (HTTP: the
output folder, the injected reload script, the event stream), ``assets/`` (that script and its
style; never copied into the output).
"""

from toolkit.serve.session import HOST, PORT, ServeOptions, Session, serve

__all__ = ["HOST", "PORT", "ServeOptions", "Session", "serve"]
