from django.db import migrations


def add_default_frames(apps, schema_editor):
    """Start from the Media Frames Corpus dimensions; admins edit them afterwards."""
    from stance.framing import DEFAULT_FRAMES

    Frame = apps.get_model("stance", "Frame")
    for position, spec in enumerate(DEFAULT_FRAMES, start=1):
        Frame.objects.get_or_create(
            key=spec.key,
            defaults={"name": spec.name, "cues": "\n".join(spec.cues), "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("stance", "0001_initial")]

    operations = [migrations.RunPython(add_default_frames, migrations.RunPython.noop)]
