"""Signals of the team domain.

`member_limit_check` is asked before a seat is taken (an invitation sent or
renewed). It is sent with the workspace and `seats_used` / `adding` counts; a
receiver (billing) returns the plan's member limit as an int, or None for no
limit, or raises PlanLimitReached itself to refuse with its own upgrade prompt. The team service refuses with PlanLimitReached when the smallest limit
would be passed. With no receiver and no TEAM_MEMBER_LIMIT setting there is no
limit.
"""

from blinker import Namespace

_signals = Namespace()

member_limit_check = _signals.signal("member-limit-check")
member_joined = _signals.signal("member-joined")
member_removed = _signals.signal("member-removed")
role_changed = _signals.signal("role-changed")
ownership_transferred = _signals.signal("ownership-transferred")
