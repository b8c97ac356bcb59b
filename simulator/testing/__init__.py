"""Client-side code: the control client, `simulator.running()` and the pytest plugin.

It reaches the server only through the app factory (to start one in-process) and over HTTP.
"""
