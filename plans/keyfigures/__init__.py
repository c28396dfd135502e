"""The key figures (Nøgletal) and the data catalogue (Datakatalog)."""
