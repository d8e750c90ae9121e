# ruff: noqa: E501
"""Patient-facing texts of the definition files, for translation (generated: do not edit).

Regenerate with ``manage.py triage_messages`` (then ``ruff format``); ``makemessages`` reads
these msgids.
"""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop(
        "New or worsening bladder or bowel trouble, or numbness around the groin and buttocks, can mean the nerves at the bottom of the spine are badly squeezed. This needs emergency care today."
    ),
    gettext_noop(
        "Weakness in both legs that is getting worse can mean serious pressure on the nerves. This needs emergency care today."
    ),
    gettext_noop(
        "Not being able to walk or stand because your legs are weak needs emergency care today."
    ),
    gettext_noop(
        "Leg weakness that gets worse by the hour can mean a nerve is being damaged quickly. This needs emergency care now."
    ),
    gettext_noop(
        "Back pain with a fever or feeling unwell, when your immune system is weakened or you inject drugs, can be a sign of an infection in the spine. This needs emergency care today."
    ),
    gettext_noop(
        "You have bladder, bowel or saddle-area symptoms that have not changed for more than two weeks. A clinician should check them today."
    ),
    gettext_noop(
        "A new change in sexual function, or pain or weakness in both legs, can be an early warning sign of nerve pressure. A clinician should speak with you today."
    ),
    gettext_noop("Leg weakness that is getting worse over days needs a clinician's review today."),
    gettext_noop(
        "Back pain with a fever, after cancer, or after a significant injury should be checked by a clinician today to rule out a serious cause."
    ),
    gettext_noop(
        "You were not sure about one or more of the warning-sign questions. To be safe, a clinician should speak with you today."
    ),
    gettext_noop(
        "Weakness lifting the foot, or not being able to walk on your heels or toes, should be examined within two weeks."
    ),
    gettext_noop(
        "Some of your answers (weight loss, a weakened immune system, pain at night, or new pain at age 50 or over) mean a clinician should see you within two weeks."
    ),
    gettext_noop(
        "Severe leg pain that goes below the knee should be assessed within two weeks so it can be treated properly."
    ),
    gettext_noop(
        "New or worsening bladder or bowel trouble, numbness around the groin and buttocks, or a new loss of sexual function can mean the nerves at the bottom of the spine are badly squeezed. This needs emergency care today."
    ),
    gettext_noop("New trouble passing urine, or new loss of control of your bladder or bowels"),
    gettext_noop(
        "New or worsening numbness in the groin, buttocks or inner thighs (the saddle area)"
    ),
    gettext_noop("A new loss of sexual function, or of feeling in the genitals"),
    gettext_noop("Weakness in both legs that is getting worse"),
    gettext_noop("Being unable to walk or stand because your legs are too weak"),
    gettext_noop("Leg weakness that gets worse by the hour"),
    gettext_noop(
        "Fever or feeling unwell with back pain when your immune system is weakened or you inject drugs"
    ),
    gettext_noop(
        "Numbness in your legs or feet that gets worse by the hour can mean a nerve is being damaged quickly. This needs emergency care now."
    ),
    gettext_noop("Numbness in your legs or feet that gets worse by the hour"),
    gettext_noop(
        "You have bladder, bowel, saddle-area or sexual symptoms that have not changed for more than two weeks. A clinician should check them today."
    ),
    gettext_noop(
        "Bladder, bowel, saddle-area or sexual symptoms that have been there, unchanged, for more than two weeks"
    ),
    gettext_noop(
        "Pain spreading down both legs, or weakness in both legs, can be an early warning sign of nerve pressure. A clinician should speak with you today."
    ),
    gettext_noop("Pain spreading down both legs, or both legs feeling weak"),
    gettext_noop("Leg weakness that is getting worse over days"),
    gettext_noop("Back pain with a fever, or feeling generally unwell"),
    gettext_noop("New back pain if you have ever had cancer"),
    gettext_noop(
        "Back pain that started after a significant injury, such as a fall or a car accident"
    ),
    gettext_noop(
        "Numbness in your legs or feet that is getting worse over days needs a clinician's review today."
    ),
    gettext_noop("Numbness in your legs or feet that is getting worse over days"),
    gettext_noop(
        "Weakness lifting your foot, or walking on your heels or tiptoe, that started in the last two weeks (or when you are not sure when it started) should be checked by a clinician today."
    ),
    gettext_noop("New weakness lifting your foot or toes, or walking on your heels or tiptoe"),
    gettext_noop(
        "Weakness lifting your foot, or walking on your heels or tiptoe, that has been there for two weeks or more should be examined within two weeks."
    ),
    gettext_noop("Back and leg pain symptom check"),
    gettext_noop(
        "Questions about lower back and leg pain (lumbar radiculopathy, including the L5 and S1 nerve roots) that tell how urgently a patient should be seen."
    ),
    gettext_noop("Bladder, bowel and saddle area"),
    gettext_noop(
        'We ask about rare but serious nerve problems first. If you do not know an answer, choose "Not sure".'
    ),
    gettext_noop(
        "Have you had new trouble starting to pass urine or controlling it, or do you no longer feel when your bladder is full?"
    ),
    gettext_noop(
        "Have you newly lost control of your bowels, or the feeling that your bowel is full?"
    ),
    gettext_noop("Do you have numbness or tingling in your groin, buttocks or inner thighs?"),
    gettext_noop("This is the area that would touch a saddle when you sit on a bicycle."),
    gettext_noop("Have you had a new loss of sexual function, or of feeling in your genitals?"),
    gettext_noop("When those symptoms started"),
    gettext_noop(
        "You answered yes to a bladder, bowel, saddle-area or sexual symptom. How has it been over the last 14 days?"
    ),
    gettext_noop("It started within the last 14 days"),
    gettext_noop("I had it before, and it is getting worse"),
    gettext_noop("It has been there, unchanged, for more than 14 days"),
    gettext_noop("Strength in your legs"),
    gettext_noop("Are you unable to walk or stand because your legs are too weak?"),
    gettext_noop("Do both of your legs feel weak?"),
    gettext_noop("Is any weakness in your legs changing?"),
    gettext_noop("My legs are not weak"),
    gettext_noop("They are weak, but it is not getting worse"),
    gettext_noop("The weakness is getting worse over days"),
    gettext_noop("The weakness is getting worse by the hour"),
    gettext_noop("Your general health"),
    gettext_noop("Do you have a fever, or feel generally unwell, along with the back pain?"),
    gettext_noop("Is your immune system weakened, or do you inject drugs?"),
    gettext_noop(
        "For example medicines that lower immunity (such as steroids taken for a long time or after a transplant), chemotherapy, or HIV."
    ),
    gettext_noop("Have you ever had cancer?"),
    gettext_noop("Have you lost weight recently without trying to?"),
    gettext_noop(
        "Did the pain start after a significant injury, such as a fall or a car accident?"
    ),
    gettext_noop("Is the pain there at night even when you lie still, or does it wake you up?"),
    gettext_noop("About you and your pain"),
    gettext_noop("How old are you (in years)?"),
    gettext_noop("How long have you had this pain?"),
    gettext_noop("Less than 2 weeks"),
    gettext_noop("2 to 6 weeks"),
    gettext_noop("6 to 12 weeks"),
    gettext_noop("More than 12 weeks"),
    gettext_noop("How bad is your back pain at the moment?"),
    gettext_noop("0 means no pain and 10 the worst pain you can imagine."),
    gettext_noop("How bad is your leg pain at the moment?"),
    gettext_noop("Does the pain spread down a leg?"),
    gettext_noop("No, it stays in my back"),
    gettext_noop("Yes, down my left leg"),
    gettext_noop("Yes, down my right leg"),
    gettext_noop("Yes, down both legs"),
    gettext_noop("What makes the pain worse? Choose all that apply."),
    gettext_noop("Sitting"),
    gettext_noop("Bending forward"),
    gettext_noop("Coughing or sneezing"),
    gettext_noop("Walking"),
    gettext_noop("Standing"),
    gettext_noop("Lying down"),
    gettext_noop("Your leg and foot"),
    gettext_noop("Does the leg pain go below the knee?"),
    gettext_noop(
        "Do you have trouble lifting your foot or toes, so that the foot catches or slaps on the ground when you walk?"
    ),
    gettext_noop("Can you walk on your heels?"),
    gettext_noop("Yes, as usual"),
    gettext_noop("Yes, but it is hard"),
    gettext_noop("No, I cannot"),
    gettext_noop("I have not tried or I am not sure"),
    gettext_noop("Can you walk on tiptoe?"),
    gettext_noop("Where do you feel numbness or tingling? Choose all that apply."),
    gettext_noop("The top of the foot"),
    gettext_noop("The big toe"),
    gettext_noop("The outer side of the lower leg"),
    gettext_noop("The sole of the foot"),
    gettext_noop("The outer edge of the foot"),
    gettext_noop("The calf"),
    gettext_noop("None of these"),
    gettext_noop("Has a clinician told you that the reflex at your ankle is reduced or missing?"),
    gettext_noop("Yes"),
    gettext_noop("No"),
    gettext_noop("I don't know, or it has not been checked"),
    gettext_noop("Treatments and anything else"),
    gettext_noop("Which treatments have you already had for this pain? Choose all that apply."),
    gettext_noop("Physical therapy"),
    gettext_noop("Chiropractic care"),
    gettext_noop("Anti-inflammatory medicines (such as ibuprofen or naproxen)"),
    gettext_noop("Epidural steroid injection"),
    gettext_noop("Spine surgery"),
    gettext_noop("None yet"),
    gettext_noop("Is there anything else you would like the clinic to know?"),
    gettext_noop("Strength and feeling in your legs"),
    gettext_noop("Is numbness in your legs or feet getting worse?"),
    gettext_noop("I have no numbness in my legs or feet"),
    gettext_noop("There is numbness, but it is not getting worse"),
    gettext_noop("The numbness is getting worse over days"),
    gettext_noop("The numbness is getting worse by the hour"),
    gettext_noop("When the weakness started"),
    gettext_noop("When did this weakness start?"),
    gettext_noop(
        "The trouble lifting your foot or toes, or walking on your heels or tiptoe, that you told us about."
    ),
    gettext_noop("Less than 2 weeks ago"),
    gettext_noop("Between 2 and 12 weeks ago"),
    gettext_noop("More than 12 weeks ago"),
)
