"""The public application form for the pool's open round (/pulje/ansoeg/): open without a login, and hardened for it."""
