from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from stance.models import Frame, Label, ModelVersion, Prediction, SpeakerCorrection
from stance.services.versions import model_activate


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "status",
        "is_active",
        "macro_f1",
        "artifact_bytes",
        "created_by",
        "created",
        "activated",
    ]
    list_filter = ["kind", "status", "is_active"]
    readonly_fields = [f.name for f in ModelVersion._meta.fields if f.name != "artifact"]
    exclude = ["artifact"]
    actions = ["activate"]

    def get_queryset(self, request):
        return super().get_queryset(request).without_artifact()

    def has_add_permission(self, request):
        return False  # versions come from training (train_classifier, the models page)

    @admin.action(description="Activate the selected version")
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one version to activate.", messages.ERROR)
            return
        try:
            version = model_activate(version=queryset.get(), activated_by=request.user)
        except ValidationError as error:
            self.message_user(request, error.messages[0], messages.ERROR)
            return
        self.message_user(
            request,
            f"{version} is now active; its predictions are being refreshed.",
            messages.SUCCESS,
        )


@admin.register(Prediction)
class PredictionAdmin(admin.ModelAdmin):
    list_display = ["paragraph", "version", "label", "p_opinion", "created"]
    list_filter = ["version", "label"]
    list_select_related = ["paragraph", "version"]
    raw_id_fields = ["paragraph", "version"]


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    """Labels are append-only: the admin can read them, never edit or delete them."""

    list_display = ["paragraph", "label", "editor", "model_label", "created"]
    list_filter = ["label", "editor"]
    list_select_related = ["paragraph", "editor"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SpeakerCorrection)
class SpeakerCorrectionAdmin(LabelAdmin):
    """Speaker corrections are append-only too: read, never edited or deleted."""

    list_display = ["quote_text", "choice", "speaker_name", "model_speaker", "editor", "created"]
    list_filter = ["choice", "editor"]
    list_select_related = ["editor"]


@admin.register(Frame)
class FrameAdmin(admin.ModelAdmin):
    """Editing a frame's cues marks stored analyses stale; they are recomputed on next view."""

    list_display = ["name", "key", "is_active", "position"]
    list_editable = ["is_active", "position"]
    prepopulated_fields = {"key": ["name"]}
