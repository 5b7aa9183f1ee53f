"""Layout stages: page stages run per page as it is read, doc stages once all pages are in."""
