from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsroom.models import Paragraph
from stance.labels import LABELS
from stance.services.labels import label_create


class Command(BaseCommand):
    help = "Record an editor's label on a paragraph (the same service the pages use)."

    def add_arguments(self, parser):
        parser.add_argument("--paragraph", required=True, type=int, metavar="ID")
        parser.add_argument("--label", required=True, metavar="news|opinion")
        parser.add_argument("--editor", required=True, metavar="USERNAME")
        parser.add_argument("--note", default="")

    def handle(self, *args, paragraph, label, editor, note, **options):
        if label not in LABELS:
            raise CommandError(f"Unknown label {label!r}: use news or opinion.")
        found = Paragraph.objects.filter(pk=paragraph).first()
        if found is None:
            raise CommandError(f"No paragraph with id {paragraph}.")
        user = get_user_model().objects.filter(username=editor).first()
        if user is None:
            raise CommandError(f"No user called {editor!r}.")
        if not user.has_perm("stance.add_label"):
            raise CommandError(f"{editor} may not label paragraphs (not an editor).")
        try:
            row = label_create(paragraph=found, editor=user, label=label, note=note)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        disagreed = f" (the model said {row.model_label})" if row.model_disagreed else ""
        self.stdout.write(f"paragraph {paragraph}: {label} by {editor}{disagreed}")
