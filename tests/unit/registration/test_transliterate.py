"""The name in the other script on the sample label: read aloud, it must be the name."""
import pytest

from app.registration.search_key import name_key
from app.registration.transliterate import other_script


@pytest.mark.parametrize("typed, printed", [
    ("राजेश कुमार शर्मा", "Rajesh Kumar Sharma"),
    ("सुनीता देवी", "Sunita Devi"),
    ("कमलेश ठाकुर", "Kamlesh Thakur"),   # the unwritten a between voiced syllables drops
    ("नरेन्द्र सिंह", "Narendra Singh"),  # but not after a cluster
    ("भरत", "Bharat"),
    ("चंपा", "Champa"),                   # a nasal before p is an m
    ("ज्ञान चंद", "Gyan Chand"),
    ("बुधनी उरांव", "Budhni Oraon"),
])
def test_devanagari_names_are_spelt_as_in_india(typed, printed):
    assert other_script(typed) == printed


@pytest.mark.parametrize("typed, printed", [
    ("Sunita Devi", "सुनीता देवी"),
    ("Rajesh Kumar Sharma", "राजेश कुमार शर्मा"),
    ("Anjali Negi", "अंजली नेगी"),        # a nasal before a consonant is an anusvara
    ("Arjun Mahto", "अर्जुन महतो"),
    ("Pinky", "पिंकी"),                   # a final y after a consonant is ी
    ("Kavita", "कविता"),                  # a final a is long
    ("CHANDA  kumari", "चंदा कुमारी"),
])
def test_latin_names_are_written_in_devanagari(typed, printed):
    assert other_script(typed) == printed


@pytest.mark.parametrize("name", ["राजेश कुमार शर्मा", "Sunita Devi", "Birsa Munda",
                                  "कमलेश ठाकुर", "Arjun Mahto"])
def test_both_spellings_find_the_same_patient(name):
    """What the label prints in the other script is what a clerk searching in it types."""
    assert name_key(other_script(name)) == name_key(name)


def test_nothing_to_write():
    assert other_script("") == other_script("   ") == other_script(None) == ""
