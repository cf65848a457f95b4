"""The law, written once: the one core every engine derives from.

* :mod:`.logic`: three-valued logic, how a policy's routes, conditions and the
  statutory floor combine into a decision, and the search for the days on
  which a decision changes;
* :mod:`.reports`: which reports count and what one unit is, with every
  setting of a selection named, so that an engine computes it or refuses it
  by name;
* :mod:`.floor`: the statutory floor that runs beside every policy.

:func:`~asb_case_review.decision.evaluate`, the pure-Python sweep and the
numpy sweep all call these; none re-implements a rule of law.
"""
