"""What happens to a submission after its 201: the steps in backend/pipeline/steps.py, run by
the tasks in backend/pipeline/tasks.py (docs/architecture.md walks one submission through)."""
