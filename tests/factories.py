import factory
from factory.django import DjangoModelFactory

from backend.accounts.models import User
from backend.areas.models import Area, Level
from backend.projects.models import Membership, Project, Role


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name")
    # Through set_password, as real accounts are, so Digest's HA1 is kept too.
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @classmethod
    def _after_postgeneration(
        cls, instance: User, create: bool, results: dict | None = None
    ) -> None:
        if create and results:
            instance.save()


class ProjectFactory(DjangoModelFactory[Project]):
    class Meta:
        model = Project
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"project-{n}")
    name = factory.Sequence(lambda n: f"Project {n}")


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.COLLECTOR


class AreaFactory(DjangoModelFactory[Area]):
    class Meta:
        model = Area

    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Area {n}")
    level = Level.COUNTY
