""" "Nyt siden sidst": what moved since a date, on the start page and as an e-mail digest (docs/digest.md).

models.py (registered through portal.models), service.py (assembly from portal.registry.digest_source and
calendar, the sending), forms.py, views.py, tasks.py (the beat job).
"""
