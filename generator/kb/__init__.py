"""Knowledge base: YAML loading with locations, validation, and the frozen model."""
