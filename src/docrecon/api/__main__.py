"""``python -m docrecon.api [serve options]``: the ``serve`` command without the full CLI."""

from docrecon.api.commands import serve

if __name__ == "__main__":
    serve()
