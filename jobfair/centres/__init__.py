"""Centres: the public Employment Service Centres one deployment serves, and the one
mechanism that keeps each centre's staff inside their own centre's data (scope.py)."""
