"""WSGI entry point: `flask --app run ...` in development, `gunicorn run:app` in production."""
from app import create_app

app = create_app()
