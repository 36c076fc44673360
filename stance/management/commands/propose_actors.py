from django.core.management.base import BaseCommand, CommandError

from newsroom.models import Story
from stance.services.actors import story_actors_propose


class Command(BaseCommand):
    help = (
        "Propose the actors of a story (or every story) from its pieces' text, as an upload "
        "does: curated and hidden actors are left as they are. For stories stored before "
        "actors were proposed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--story", help="The story's slug; every story when left out.")

    def handle(self, *args, story: str | None, **options):
        stories = Story.objects.order_by("pk")
        if story:
            stories = stories.filter(slug=story)
            if not stories.exists():
                raise CommandError(f"No story with the slug “{story}”.")
        for item in stories:
            proposed = story_actors_propose(story=item)
            names = ", ".join(actor.name for actor in proposed) or "none"
            self.stdout.write(f"{item.slug}: {len(proposed)} proposed ({names})")
