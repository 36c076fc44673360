"""Writes of the editorial loop, one module per concern (HackSoft style, `<entity>_<action>`).

Callers import the concern's module (stance.services.labels, .versions, ...). Reads live in
stance.selectors and background jobs in stance.jobs.
"""
