"""Readings of the property questions about food, wearing, use and what a thing gives off (issue
20 item 2), for the questions :mod:`.properties` leaves silent.

The same rule types and the same reading of ordinary usage (docs/panel.md's rubric) as
:mod:`.properties`: yes for the WordNet families or gloss words that name the property ("a
dessert is sweet", "a boot is worn on the feet", "a heater produces heat"), no otherwise. Only
questions whose yes-families WordNet names cleanly are here: a food's taste or cooking, dairy and
meat; what is worn and where; what a thing is used for when its family says so (music, writing,
hygiene, sport, gardening, health, safety, eating); whether it is alive, a body part, a medicine,
a gas; whether it has a motor, produces light or heat, keeps things cold, is electronic.

Shortcuts: hand-written, not fitted; a thing outside the named families gets the default (no),
so "Does it contain meat?" is no for a dish WordNet does not file under a meat word, and "Is it
cooked before it is eaten?" is yes only for the families people cook (dishes, baked goods, meat,
pasta, rice, eggs, potatoes); vegetables eaten either way stay no.
"""

from __future__ import annotations

from llm20q.kb.readings.rules import Gloss, Is, Lex, Reading

_ART = ("artifact.n.01",)
_FOOD = ("food.n.01", "food.n.02", "beverage.n.01")

EVERYDAY: tuple[Reading, ...] = (
    # ---------------------------------------------------------------- food
    Reading("Can you drink it?", (
        Is(("beverage.n.01", "milk.n.01", "drinking_water.n.01", "fruit_juice.n.01"), True),
    ), any_sense=True),
    Reading("Is it sweet?", (
        Is(("lemon.n.01", "lime.n.06", "avocado.n.01", "olive.n.01", "tomato.n.01",
            "grapefruit.n.02", "cranberry.n.02"), False),
        Is(("dessert.n.01", "sweet.n.03", "candy.n.01", "cake.n.03", "cookie.n.01",
            "pastry.n.02", "edible_fruit.n.01", "honey.n.01", "sugar.n.01", "syrup.n.01",
            "chocolate.n.02", "ice_cream.n.01", "soft_drink.n.01", "jam.n.01",
            "sweet_roll.n.01", "pie.n.01", "doughnut.n.02", "muffin.n.01"), True),
        Gloss(("sweet", "sweetened", "sugar", "sugary"), True, _FOOD),
    ), any_sense=True),
    Reading("Is it cooked before it is eaten?", (
        Is(("edible_fruit.n.01", "salad.n.01", "dessert.n.01", "candy.n.01", "beverage.n.01",
            "cheese.n.01", "sandwich.n.01"), False),
        Is(("dish.n.02", "baked_goods.n.01", "meat.n.01", "pasta.n.02", "egg.n.02",
            "rice.n.01", "potato.n.01", "soup.n.01", "bread.n.01", "pizza.n.01",
            "sausage.n.01", "poultry.n.02", "seafood.n.01", "bean.n.01"), True),
        Gloss(("cooked", "baked", "fried", "boiled", "roasted", "grilled", "stewed"), True,
              _FOOD),
    ), any_sense=True),
    Reading("Is it a fruit or a vegetable?", (
        Is(("edible_fruit.n.01", "vegetable.n.01"), True),
    ), any_sense=True),
    Reading("Does it contain meat?", (
        Is(("meat.n.01", "sausage.n.01", "hamburger.n.01", "hotdog.n.02", "meatball.n.01",
            "poultry.n.02"), True),
        Gloss(("meat", "beef", "pork", "chicken", "ham", "bacon", "sausage", "lamb", "veal",
               "turkey"), True, ("dish.n.02", "sandwich.n.01")),
    ), any_sense=True),
    Reading("Is it a dairy product?", (
        Is(("dairy_product.n.01", "milk.n.01", "cheese.n.01", "butter.n.01",
            "yogurt.n.01", "cream.n.02"), True),
    ), any_sense=True),
    # ---------------------------------------------------------------- living, body, matter
    Reading("Is it alive?", (
        Is(("organism.n.01",), True),
        Lex(("noun.animal", "noun.plant", "noun.person"), True),
    )),
    Reading("Is it a part of the human body?", (
        Lex(("noun.body",), True),
    )),
    Reading("Is it a medicine?", (
        Is(("medicine.n.02", "pill.n.02", "vitamin.n.01", "antibiotic.n.01"), True),
    )),
    Reading("Is it a gas?", (
        Is(("gas.n.02", "air.n.01", "steam.n.01"), True),
    )),
    # ---------------------------------------------------------------- wearing
    Reading("Is it clothing or an accessory you wear?", (
        Is(("clothing.n.01", "garment.n.01", "footwear.n.02", "headdress.n.01",
            "jewelry.n.01", "spectacles.n.01", "watch.n.01", "belt.n.02", "glove.n.02",
            "scarf.n.01", "necktie.n.01", "handbag.n.01", "backpack.n.01"), True),
    )),
    Reading("Do you wear it on your head?", (
        Is(("headdress.n.01", "hat.n.01", "helmet.n.02", "cap.n.01", "wig.n.01",
            "headband.n.01", "earphone.n.01", "spectacles.n.01"), True),
    )),
    Reading("Do you wear it on your feet?", (
        Is(("footwear.n.01", "footwear.n.02", "sock.n.01", "skate.n.01",
            "roller_skate.n.01", "ski.n.01", "fin.n.04"), True),
    )),
    # ---------------------------------------------------------------- what it is used for
    Reading("Is it used for transportation?", (
        Is(("conveyance.n.03", "vehicle.n.01", "horse.n.01", "camel.n.01"), True),
    )),
    Reading("Is it a toy or a game?", (
        Is(("plaything.n.01", "board_game.n.01", "doll.n.01", "kite.n.03", "puzzle.n.02",
            "yo-yo.n.01", "ball.n.01", "playing_card.n.01"), True),
        Gloss(("toy", "toys", "plaything", "game"), True, _ART),
    )),
    Reading("Is it used for music?", (
        Is(("musical_instrument.n.01", "sound_system.n.01", "phonograph.n.01",
            "record_player.n.01", "loudspeaker.n.01", "headphone.n.01",
            "phonograph_record.n.01", "radio_receiver.n.01"), True),
        Gloss(("music", "musical", "melody", "tune"), True, _ART),
    )),
    Reading("Is it used for writing or drawing?", (
        Is(("writing_implement.n.01", "pen.n.01", "pencil.n.01", "crayon.n.01",
            "chalk.n.04", "writing_paper.n.01", "notebook.n.01", "blackboard.n.01",
            "paintbrush.n.01", "typewriter.n.01", "eraser.n.01", "easel.n.01"), True),
        Gloss(("writing", "write", "drawing", "draw", "sketching"), True, _ART),
    )),
    Reading("Is it used for eating or serving food?", (
        Is(("tableware.n.01", "cutlery.n.02", "crockery.n.01", "dish.n.01", "bowl.n.03",
            "plate.n.04", "cup.n.01", "mug.n.04", "tray.n.01", "chopstick.n.01",
            "napkin.n.01", "dining_table.n.01"), True),
        Gloss(("eating", "dining"), True, _ART),
    )),
    Reading("Is it used for sports or exercise?", (
        Is(("sports_equipment.n.01", "exercise_device.n.01", "ball.n.01", "racket.n.04",
            "bicycle.n.01", "ski.n.01", "skateboard.n.01", "surfboard.n.01",
            "golf_club.n.02"), True),
        Gloss(("sport", "sports", "exercise", "exercising", "athletic", "athletes"), True,
              _ART),
    )),
    Reading("Is it used for personal hygiene or grooming?", (
        Is(("toiletry.n.01", "toothbrush.n.01", "comb.n.01", "razor.n.01",
            "hairbrush.n.01", "soap.n.01", "towel.n.01", "shampoo.n.01",
            "toilet_tissue.n.01", "deodorant.n.01", "toothpaste.n.01", "hand_blower.n.01",
            "sponge.n.01", "bathtub.n.01", "shower.n.01", "toilet.n.02"), True),
        Gloss(("hair", "teeth", "tooth", "shaving", "grooming", "cosmetic", "bathing",
               "washing"), True, _ART),
    )),
    Reading("Is it used in gardening or farming?", (
        Is(("garden_tool.n.01", "farm_machine.n.01", "plow.n.01", "hoe.n.01", "rake.n.03",
            "watering_can.n.01", "tractor.n.01", "lawn_mower.n.01", "garden_hose.n.01",
            "wheelbarrow.n.01", "shovel.n.01", "spade.n.01", "fertilizer.n.01",
            "seed.n.01", "scarecrow.n.01", "greenhouse.n.01"), True),
        Gloss(("garden", "gardening", "farm", "farming", "soil", "lawn", "crops",
               "cultivating"), True, _ART),
    )),
    Reading("Is it used in a hospital or for health?", (
        Is(("medical_instrument.n.01", "medicine.n.02", "bandage.n.01", "stethoscope.n.01",
            "wheelchair.n.01", "syringe.n.01", "clinical_thermometer.n.01", "crutch.n.01",
            "hospital_bed.n.01", "first-aid_kit.n.01", "pill.n.02", "vitamin.n.01"), True),
        Gloss(("medical", "surgical", "surgery", "patient", "patients", "dental", "wound",
               "wounds", "health"), True, _ART),
    )),
    Reading("Is it used for safety or protection?", (
        Is(("armor.n.01", "helmet.n.02", "seat_belt.n.01", "fire_extinguisher.n.01",
            "lock.n.01", "safety_device.n.01", "smoke_alarm.n.01", "shield.n.02",
            "life_jacket.n.01", "umbrella.n.01", "sunscreen.n.01", "fence.n.01",
            "alarm.n.02", "goggles.n.01", "glove.n.02"), True),
        Gloss(("safety", "protection"), True, _ART),
    )),
    Reading("Is it used for communication?", (
        Is(("telephone.n.01", "radio_receiver.n.01", "transmitter.n.01", "computer.n.01",
            "letter.n.01", "postcard.n.01", "envelope.n.01", "television_receiver.n.01",
            "walkie-talkie.n.01", "facsimile.n.02", "megaphone.n.01", "microphone.n.01"), True),
        Gloss(("communication", "communicate", "communicating", "messages", "message",
               "telephone", "broadcast"), True, _ART),
    )),
    # ---------------------------------------------------------------- seats and beds
    Reading("Can you sit on it?", (
        Is(("seat.n.03", "chair.n.01", "sofa.n.01", "bench.n.01", "stool.n.01", "bed.n.01",
            "horse.n.01", "bicycle.n.01", "motorcycle.n.01", "saddle.n.01", "swing.n.02",
            "toilet.n.02", "couch.n.01"), True),
    )),
    Reading("Can you sleep or lie on it?", (
        Is(("bed.n.01", "mattress.n.01", "sofa.n.01", "hammock.n.02", "sleeping_bag.n.01",
            "cot.n.03", "couch.n.01", "air_mattress.n.01", "futon.n.01"), True),
    )),
    # ---------------------------------------------------------------- what it gives off
    Reading("Does it have a motor or an engine?", (
        Is(("bicycle.n.01", "sailboat.n.01", "glider.n.01", "canoe.n.01", "rowboat.n.01",
            "wagon.n.01", "sled.n.01", "skateboard.n.01", "cart.n.01"), False),
        Is(("motor_vehicle.n.01", "airplane.n.01", "helicopter.n.01", "locomotive.n.01",
            "power_tool.n.01", "mower.n.01", "motorcycle.n.01", "tractor.n.01",
            "chain_saw.n.01", "vacuum.n.04", "washer.n.03", "blender.n.01", "motorboat.n.01",
            "ship.n.01", "refrigerator.n.01", "electric_fan.n.01", "dishwasher.n.01",
            "electric_drill.n.01", "motor.n.01", "engine.n.01", "drone.n.04"), True),
        Gloss(("motor", "engine", "motorized", "motorised", "powered"), True, _ART),
    )),
    Reading("Does it produce light?", (
        Is(("source_of_illumination.n.01", "lamp.n.01", "lamp.n.02", "light_bulb.n.01",
            "candle.n.01", "flashlight.n.01", "star.n.03", "sun.n.01", "fire.n.01",
            "television_receiver.n.01", "monitor.n.04", "firefly.n.02", "lightning.n.01",
            "traffic_light.n.01", "lantern.n.01", "torch.n.01", "neon_lamp.n.01"), True),
        Gloss(("illumination", "illuminate", "illuminating", "glow", "glowing", "luminous",
               "lighting"), True, _ART),
    )),
    Reading("Does it produce heat?", (
        Is(("heater.n.01", "stove.n.01", "oven.n.01", "toaster.n.02", "fire.n.01",
            "sun.n.01", "radiator.n.02", "iron.n.04", "fireplace.n.01", "candle.n.01",
            "hair_dryer.n.01", "kettle.n.01", "furnace.n.01", "barbecue.n.03", "microwave.n.02",
            "hot-water_bottle.n.01", "volcano.n.01", "electric_blanket.n.01"), True),
        Gloss(("heat", "heating", "heated", "warm", "warming", "toasting", "baking",
               "roasting"), True, _ART),
    )),
    Reading("Does it get cold or keep things cold?", (
        Is(("refrigerator.n.01", "deep-freeze.n.01", "icebox.n.01", "air_conditioner.n.01",
            "ice.n.01", "ice_cream.n.01", "ice_cube.n.01", "snow.n.02", "cooler.n.01",
            "ice_pack.n.01", "frozen_dessert.n.01", "iceberg.n.01", "glacier.n.01"), True),
        Gloss(("cold", "cool", "cooling", "refrigerated", "freezing", "frozen", "chilled",
               "chill"), True, (*_ART, *_FOOD)),
    )),
    Reading("Is it electronic?", (
        Is(("electronic_equipment.n.01", "electronic_device.n.01", "computer.n.01",
            "telephone.n.01", "television_receiver.n.01", "calculator.n.02",
            "radio_receiver.n.01", "digital_camera.n.01",
            "headphone.n.01", "printer.n.03", "remote_control.n.01", "monitor.n.04",
            "computer_keyboard.n.01", "mouse.n.04", "router.n.02"), True),
        Gloss(("electronic", "digital", "computer", "computerized"), True, _ART),
    )),
)  # fmt: skip
