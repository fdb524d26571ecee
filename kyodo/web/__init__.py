"""The web shell: login, home per role, operator screens, health probes."""
