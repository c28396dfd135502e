"""The committee's pool ("Udvalgets pulje"): applications, assessment, decision and follow-up, four rounds a year."""
