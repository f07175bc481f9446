"""Volunteers' points (红马甲积分): earned by delivered stops and handled alerts.."""
