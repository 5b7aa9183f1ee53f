"""Table recognition: ruled grids from vector rules, borderless tables from text alignment."""
