"""The core of the employment plan, the bottom layer of plans/ (docs/architecture.md): plans, goals,
indicators, observations and their status, the benchmark's tables, and the areas they are measured in.
It imports nothing from the import, the pages, the plan authoring, the collection round or the wheel."""
