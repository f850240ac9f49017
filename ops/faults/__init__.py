"""The fault suite of docs/reliability.md: the production topology on loopback (granian, two task
workers, the periodic runner, PostgreSQL, Redis) under faults, with phones that send what ODK
Collect sends and retry what was not answered 201, then a count of what the server kept.

Started by ops/faults.sh, which prepares the database, the media folder and the environment;
`python -m ops.faults --help` lists the cases.
"""
