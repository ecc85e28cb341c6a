"""The question bank: taxonomy questions answered from WordNet and property questions labelled by
an LLM (build time only). Spelling questions are not tabled: agent.rules decides them at run time.

Taxonomy answers: a candidate's p(yes) is the weight of its senses (see
:class:`llm20q.kb.senses.SenseTable`) whose hypernym closure meets the question's *targets*:
synsets (nltk-style names, ``tool.n.01`` = the first noun sense of "tool") or whole
lexicographer files (``lex:noun.food``). A compound takes its head noun's senses. Candidates
WordNet does not know get 0.5.

Besides the hand-written :data:`CURATED_TAXONOMY`, :func:`llm20q.kb.taxonomy.taxonomy_rows`
picks hypernym synsets that split the candidates usefully: enough candidates under them, not too
much prior mass, and not the same split as an already chosen synset (single-child chains). They
are phrased "Is it a kind of X?" (:func:`phrase_synset`), with a short gloss when X is ambiguous.

Shortcut: answers are per sense, not per (keyword, sense in the game's "things" reading); a
polysemous word's answer is its sense mixture (mouse: animal and device), which the planner's
answer noise must absorb.
"""

from __future__ import annotations

from dataclasses import dataclass

from llm20q.kb.wordnet import WordNet

# (question, targets). Targets are synset names or "lex:<lexicographer file>".
CURATED_TAXONOMY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Is it a living thing?", ("organism.n.01",)),
    ("Is it an animal?", ("animal.n.01",)),
    ("Is it a mammal?", ("mammal.n.01",)),
    ("Is it a bird?", ("bird.n.01",)),
    ("Is it a fish?", ("fish.n.01",)),
    ("Is it an insect?", ("insect.n.01",)),
    ("Is it a reptile or an amphibian?", ("reptile.n.01", "amphibian.n.03")),
    ("Is it a dog?", ("dog.n.01",)),
    ("Is it a plant?", ("plant.n.02",)),
    ("Is it a tree?", ("tree.n.01",)),
    ("Is it a flower?", ("flower.n.01", "flower.n.02")),
    ("Is it a fungus or a mushroom?", ("fungus.n.01", "mushroom.n.02")),
    ("Is it a part of a plant?", ("plant_part.n.01",)),
    ("Is it food?", ("food.n.01", "food.n.02", "lex:noun.food")),
    ("Is it a drink?", ("beverage.n.01",)),
    ("Is it an alcoholic drink?", ("alcohol.n.01",)),
    ("Is it a fruit?", ("edible_fruit.n.01", "fruit.n.01")),
    ("Is it a vegetable?", ("vegetable.n.01",)),
    ("Is it a prepared dish?", ("dish.n.02",)),
    ("Is it a baked good, like bread or cake?", ("baked_goods.n.01",)),
    ("Is it a dessert or a sweet?", ("dessert.n.01", "sweet.n.03")),
    ("Is it a seasoning, sauce or condiment?", ("flavorer.n.01", "condiment.n.01", "sauce.n.01")),
    ("Is it man-made?", ("artifact.n.01",)),
    ("Is it a tool?", ("tool.n.01",)),
    ("Is it a hand tool?", ("hand_tool.n.01",)),
    ("Is it a device?", ("device.n.01",)),
    ("Is it a machine?", ("machine.n.01",)),
    ("Is it electronic equipment?", ("electronic_equipment.n.01", "electronic_device.n.01")),
    ("Is it a vehicle?", ("vehicle.n.01", "conveyance.n.03")),
    ("Is it a car or another motor vehicle?", ("motor_vehicle.n.01",)),
    ("Is it a boat or a ship?", ("vessel.n.02", "boat.n.01")),
    ("Is it an aircraft?", ("aircraft.n.01",)),
    ("Is it a container?", ("container.n.01",)),
    ("Is it a vessel for holding liquids?", ("vessel.n.03",)),
    ("Is it a bag or a case?", ("bag.n.01", "case.n.05")),
    ("Is it furniture?", ("furniture.n.01",)),
    ("Is it a seat?", ("seat.n.03",)),
    ("Is it clothing?", ("clothing.n.01", "garment.n.01")),
    ("Is it footwear?", ("footwear.n.01", "footwear.n.02")),
    ("Is it headwear?", ("headdress.n.01",)),
    ("Is it jewelry?", ("jewelry.n.01",)),
    ("Is it a fabric or a textile?", ("fabric.n.01",)),
    ("Is it a weapon?", ("weapon.n.01",)),
    ("Is it a musical instrument?", ("musical_instrument.n.01",)),
    ("Is it a toy?", ("plaything.n.01",)),
    ("Is it sports equipment?", ("sports_equipment.n.01",)),
    ("Is it a kitchen utensil?", ("kitchen_utensil.n.01", "cutlery.n.02")),
    ("Is it a home appliance?", ("home_appliance.n.01",)),
    ("Is it tableware, like a plate, cup or fork?", ("tableware.n.01",)),
    ("Is it a lamp or a light source?", ("source_of_illumination.n.01",)),
    ("Is it a decoration or an ornament?", ("decoration.n.01",)),
    ("Is it a covering, like a lid, a sheet or a roof?", ("covering.n.02",)),
    ("Is it a building?", ("building.n.01",)),
    ("Is it a structure or a construction?", ("structure.n.01",)),
    ("Is it a room or part of a building?", ("room.n.01", "building_complex.n.01")),
    ("Is it a place or a location?", ("location.n.01", "lex:noun.location")),
    ("Is it a shop or a business establishment?", ("mercantile_establishment.n.01",)),
    ("Is it a medicine or a drug?", ("drug.n.01", "medicine.n.02")),
    ("Is it a toiletry or a cosmetic?", ("toiletry.n.01", "cosmetic.n.01")),
    ("Is it printed matter, like a book or a magazine?", ("publication.n.01", "book.n.02")),
    ("Is it a part of the body?", ("body_part.n.01", "lex:noun.body")),
    ("Is it a substance or a material?", ("substance.n.01", "material.n.01", "lex:noun.substance")),
    ("Is it a liquid?", ("liquid.n.01", "liquid.n.03")),
    ("Is it a metal?", ("metal.n.01",)),
    ("Is it a rock or a mineral?", ("rock.n.01", "mineral.n.01")),
    ("Is it a chemical compound or element?", ("compound.n.02", "chemical_element.n.01")),
    ("Is it a natural object, like a stone, a planet or a river?", ("lex:noun.object",)),
    ("Is it a person, or a kind of person?", ("person.n.01",)),
    ("Is it a group or a collection of things?", ("group.n.01",)),
    ("Is it an activity or an event?", ("lex:noun.act", "lex:noun.event")),
    ("Is it an abstract idea?", ("abstraction.n.06",)),
    ("Is it a form of communication, like a message, a sign or a text?", ("communication.n.02",)),
    ("Is it a natural phenomenon, like weather?", ("lex:noun.phenomenon",)),
    ("Is it a physical object you can touch?", ("physical_entity.n.01",)),
)  # fmt: skip

# Properties WordNet does not encode; answered per candidate by an LLM (``kb build
# --label-with``). Worded for things; keep them answerable with yes or no. No text repeats a
# curated taxonomy question (those are answered from WordNet).
PROPERTY_QUESTIONS: tuple[str, ...] = (
    "Is it bigger than a loaf of bread?",
    "Is it bigger than a person?",
    "Is it bigger than a car?",
    "Is it bigger than a house?",
    "Is it smaller than a coin?",
    "Can you hold it in one hand?",
    "Can one person lift it?",
    "Is it heavier than 10 kilograms?",
    "Is it usually found indoors?",
    "Is it usually found outdoors?",
    "Is it found in a kitchen?",
    "Is it found in a bathroom?",
    "Is it found in a bedroom?",
    "Is it found in a living room?",
    "Is it found in an office?",
    "Is it found in a garden or a yard?",
    "Is it found in a garage or a workshop?",
    "Is it found in a school?",
    "Is it found in a hospital?",
    "Is it found in a restaurant?",
    "Is it found in a store or a shop?",
    "Is it found on a farm?",
    "Is it found in a city street?",
    "Is it found in nature?",
    "Is it found in the sea or in water?",
    "Is it found in the sky?",
    "Is it made of metal?",
    "Is it made of wood?",
    "Is it made of plastic?",
    "Is it made of glass?",
    "Is it made of fabric or cloth?",
    "Is it made of paper or cardboard?",
    "Is it made of stone, concrete or brick?",
    "Is it made of rubber?",
    "Is it made of leather?",
    "Is it made of ceramic or porcelain?",
    "Can you eat it?",
    "Can you drink it?",
    "Is it sweet?",
    "Is it cooked before it is eaten?",
    "Is it a fruit or a vegetable?",
    "Does it contain meat?",
    "Is it a dairy product?",
    "Is it alive?",
    "Was it ever alive?",
    "Does it have legs?",
    "Can it fly?",
    "Can it swim?",
    "Is it a pet?",
    "Is it dangerous?",
    "Is it electronic?",
    "Does it need electricity to work?",
    "Does it use batteries?",
    "Does it have a screen?",
    "Does it make sound?",
    "Does it produce light?",
    "Does it produce heat?",
    "Does it get cold or keep things cold?",
    "Does it have moving parts?",
    "Does it have a motor or an engine?",
    "Does it have wheels?",
    "Can you ride in it or on it?",
    "Is it used for transportation?",
    "Can it connect to the internet?",
    "Can you put things inside it?",
    "Does it hold liquid?",
    "Can you sit on it?",
    "Can you sleep or lie on it?",
    "Is it clothing or an accessory you wear?",
    "Do you wear it on your head?",
    "Do you wear it on your feet?",
    "Is it a toy or a game?",
    "Is it used for sports or exercise?",
    "Is it used for cooking?",
    "Is it used for eating or serving food?",
    "Is it used for cleaning?",
    "Is it used for personal hygiene or grooming?",
    "Is it used for writing or drawing?",
    "Is it used for reading or learning?",
    "Is it used for work in an office?",
    "Is it used in construction or building?",
    "Is it used in a hospital or for health?",
    "Is it a medicine?",
    "Is it used in gardening or farming?",
    "Is it used for music?",
    "Is it used for entertainment?",
    "Is it used for communication?",
    "Is it used for decoration?",
    "Is it used for safety or protection?",
    "Is it used by children?",
    "Is it used every day by most people?",
    "Is it a building or a structure?",
    "Is it a place you can go to?",
    "Is it a room or part of a building?",
    "Is it part of a larger object?",
    "Is it a gas?",
    "Is it soft?",
    "Is it hard or rigid?",
    "Is it sharp?",
    "Is it round?",
    "Is it flat?",
    "Is it long and thin?",
    "Is it transparent?",
    "Is it colorful?",
    "Is it usually white?",
    "Is it usually black?",
    "Is it usually green?",
    "Is it hot?",
    "Is it wet?",
    "Does it have a smell?",
    "Is it fragile?",
    "Is it expensive?",
    "Is it cheap?",
    "Is it old-fashioned?",
    "Was it invented in the last 50 years?",
    "Is it natural?",
    "Is it something you can buy in a supermarket?",
    "Is it usually sold in pairs or sets?",
    "Does it come in many sizes?",
    "Is it portable?",
    "Is it fixed in place?",
    "Is it found in most homes?",
    "Do you plug it in?",
    "Does it have buttons?",
    "Does it have a handle?",
    "Does it have a lid or a cover?",
    "Does it have a door?",
    "Is it worn or carried by a person?",
    "Is it used outdoors?",
    "Is it used at night?",
    "Is it used in winter?",
    "Is it used in summer?",
    "Is it associated with a holiday or celebration?",
    "Is it associated with water?",
    "Is it associated with animals or pets?",
    "Is it associated with babies?",
    "Is it a part of the human body?",
    "Is it an abstract concept?",
)


@dataclass(frozen=True)
class TaxonomyQuestion:
    """A taxonomy question before its answers are computed."""

    text: str
    targets: tuple[str, ...]  # synset names or "lex:..." (curated) / "offset:<n>" (auto)
    source: str


def curated_questions(wordnet: WordNet) -> list[TaxonomyQuestion]:
    """The curated questions whose targets all resolve in ``wordnet`` (a subset may lack some)."""
    out: list[TaxonomyQuestion] = []
    for text, targets in CURATED_TAXONOMY:
        resolved: list[str] = []
        for target in targets:
            if target.startswith("lex:"):
                resolved.append(target)
                continue
            try:
                resolved.append(f"offset:{wordnet.resolve(target)}")
            except KeyError:
                continue
        if resolved:
            out.append(TaxonomyQuestion(text, tuple(resolved), "wordnet:" + "+".join(targets)))
    return out


def _gloss_hint(gloss: str, limit: int = 48) -> str:
    first = gloss.split(";")[0].split('"')[0].strip()
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut + "..."


def phrase_synset(wordnet: WordNet, offset: int, ambiguous: bool) -> str:
    """'Is it a kind of X?' for a synset, with a gloss hint when X has other noun senses."""
    synset = wordnet.synsets[offset]
    name = synset.lemmas[0].replace("_", " ")
    if ambiguous:
        return f"Is it a kind of {name} ({_gloss_hint(synset.gloss)})?"
    return f"Is it a kind of {name}?"
