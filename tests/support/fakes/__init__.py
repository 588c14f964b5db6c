"""Local fakes of services outside this machine, answered at the HTTP level (the real clients run)."""
