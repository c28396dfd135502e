"""The data catalogue (Datakatalog): every Jobindsats table the portal reads, who reads it, and when it was and will be published."""
