from django.db import migrations

# The stored risk score of every submission with open flags, as backend/flags/risk.py computes
# it: the project's weight for the code, else the default of the flag's severity. One statement,
# in SQL both SQLite and PostgreSQL run (the services keep the scores from here on).
BACKFILL = """
UPDATE submissions_submission SET risk = (
    SELECT COALESCE(SUM(COALESCE(w.weight, CASE f.severity
        WHEN 'serious' THEN 10 WHEN 'warning' THEN 4 ELSE 1 END)), 0)
    FROM flags_flag f
    LEFT JOIN review_riskweight w ON w.project_id = f.project_id AND w.code = f.code
    WHERE f.submission_id = submissions_submission.id AND f.state = 'open'
)
WHERE id IN (SELECT submission_id FROM flags_flag WHERE state = 'open')
"""


class Migration(migrations.Migration):

    dependencies = [
        ('review', '0001_review_comments_and_risk_weights'),
        ('submissions', '0004_submission_risk'),
        ('flags', '0002_flag_subject'),
    ]

    operations = [migrations.RunSQL(BACKFILL, migrations.RunSQL.noop)]
