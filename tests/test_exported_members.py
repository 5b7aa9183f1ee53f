"""The public API is exactly what ``docrecon.__all__`` lists."""

import docrecon


def test_all_is_complete() -> None:
    public = {n for n in dir(docrecon) if not n.startswith("_")}
    modules = {"errors", "model", "options", "pipeline", "renderers", "readers", "stages", "cli", "api",
               "ocr", "storage", "tasks", "qa", "tables", "config", "web", "cos", "db", "batch", "geometry",
               "supervise", "integrations", "state", "validation", "heap", "preview"}
    assert public - modules - set(docrecon.__all__) == set()
    for name in docrecon.__all__:
        assert hasattr(docrecon, name), name
