from django.db import migrations


class Migration(migrations.Migration):
    """The risk weights belong to the flags app (backend/flags/models.py); the table stays."""

    dependencies = [
        ('review', '0002_submission_risk_backfill'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='RiskWeight')],
            database_operations=[],
        ),
    ]
