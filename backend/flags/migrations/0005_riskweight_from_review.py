import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The risk weights move here from the review app; their table, review_riskweight, stays."""

    dependencies = [
        ('flags', '0004_flag_village'),
        ('projects', '0001_initial'),
        ('review', '0003_riskweight_to_flags'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RiskWeight',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('code', models.CharField(max_length=40, verbose_name='flag code')),
                        ('weight', models.PositiveSmallIntegerField(verbose_name='weight')),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='risk_weights', to='projects.project')),
                    ],
                    options={
                        'verbose_name': 'risk weight',
                        'verbose_name_plural': 'risk weights',
                        'db_table': 'review_riskweight',
                        'ordering': ['project', 'code'],
                        'constraints': [models.UniqueConstraint(fields=('project', 'code'), name='risk_weight_per_code')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
