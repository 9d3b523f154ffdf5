from django import forms

from actors.models import Stance


class StanceLabelForm(forms.ModelForm):
    class Meta:
        model = Stance
        fields = ["label"]
