"""WSGI entry point: `flask --app run ...` in development, `gunicorn run:app` in production."""
import gc

from app import create_app

app = create_app()
# What start-up built (about 290,000 objects: views, mappers, fonts, catalogues) lives as
# long as the worker. Frozen, it is left out of the collector's full passes, which
# otherwise stall a request for about 150 ms every few dozen requests.
gc.freeze()
