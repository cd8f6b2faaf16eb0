"""Maintainer tools: building, formatting and executing the course notebooks."""
