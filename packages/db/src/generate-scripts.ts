/**
 * What the generated conversations say: one script per topic, in plain English, so a thread reads like a real
 * support conversation (the demo tenants show them in the inbox). A thread takes the customer's and the team's
 * lines in order; longer threads continue with the fillers. Placeholders: {name} (the customer's first name),
 * {agent} (the replying author's first name), {order}, {tracking}, {amount}, {date}, {plan}.
 */

export interface TopicScript {
  /** The e-mail subject. */
  subject: string;
  /** The label a team would put on it (one of `labelNames`). */
  label: string;
  /** The customer's words, in order; the first one opens the conversation. */
  customer: readonly string[];
  /** The team's replies, in order; the first one is the first response. */
  team: readonly string[];
  /** Internal notes (never sent to the customer). */
  notes: readonly string[];
}

export const topics: readonly TopicScript[] = [
  {
    subject: "Charged twice this month",
    label: "billing",
    customer: [
      "Hi, I was charged twice this month for my {plan} plan: two payments of {amount} on {date}. Can you fix this?",
      "It's the card ending in 4242. Both charges show as completed, not pending.",
      "How long does the refund usually take to show up?",
      "Okay. Will I get an e-mail confirmation?",
      "Great, thanks for sorting this out so quickly.",
      "The refund just appeared on my statement. All good!",
    ],
    team: [
      "I'm sorry about that, {name}. I can see the duplicate payment of {amount} on {date}; let me look into it.",
      "Thanks. I've refunded the second charge of {amount}; it is on its way back to your card.",
      "Refunds usually reach the card within 3 to 5 business days, depending on your bank.",
      "Yes, you'll get a refund receipt by e-mail within the hour.",
      "You're welcome! I've also added a note so the next invoice is checked before it goes out.",
      "Glad to hear it. Have a great day!",
    ],
    notes: [
      "Duplicate charge caused by the payment provider retry on {date}; refunded via the billing console.",
      "Second duplicate-charge report this week, flagged to the billing team.",
    ],
  },
  {
    subject: "My order hasn't arrived",
    label: "delivery",
    customer: [
      "Hello, my order {order} was supposed to arrive on {date} and it still hasn't come. Where is it?",
      "The tracking page hasn't changed for three days.",
      "I need it before the weekend, it's a birthday present.",
      "Can you send it express instead?",
      "Thank you, I'll keep an eye on the tracking.",
      "It arrived this morning, thanks for your help!",
    ],
    team: [
      "Hi {name}, I'm sorry your order is late. Let me check with the carrier. Your tracking number is {tracking}.",
      "The carrier confirms the parcel was delayed at their sorting centre; it is moving again now.",
      "I understand. I've asked the carrier to prioritise it and it should arrive within two days.",
      "I've upgraded the shipment to express at no charge. The new tracking number is {tracking}.",
      "You're welcome, {name}. I'll check on it tomorrow as well.",
      "Wonderful news! Enjoy the birthday.",
    ],
    notes: [
      "Carrier ticket opened for {tracking}; delay at the regional hub.",
      "Express upgrade approved as a goodwill gesture.",
    ],
  },
  {
    subject: "Cannot log in",
    label: "account",
    customer: [
      "I can't log in to my account. How do I reset my password?",
      "I requested the reset link but the e-mail never arrived.",
      "I checked spam as well, nothing there.",
      "Got it now, the link worked. Thanks!",
      "Is there a way to turn on two-factor authentication?",
      "Done, it's set up. Thanks again.",
    ],
    team: [
      "Hi {name}, you can reset your password from the sign-in page with \"Forgot password\". I'll send you a link as well.",
      "Sorry about that. I can see the e-mail bounced; could you check the address on your account is correct?",
      "Thanks for checking. I've corrected a typo in your address and sent a new password reset link.",
      "Great, glad you're back in!",
      "Yes: go to Settings, then Security, and choose \"Set up two-factor authentication\".",
      "Perfect. Your account is now extra safe.",
    ],
    notes: [
      "The e-mail address on file had a typo (gmial.com); fixed after verifying the phone number.",
      "Identity verified by the last four digits of the card on file.",
    ],
  },
  {
    subject: "Item arrived damaged",
    label: "delivery",
    customer: [
      "My package arrived damaged. The box was crushed and the item inside is broken. Order {order}.",
      "I've attached photos of the box and the item.",
      "I'd prefer a replacement if you have one in stock.",
      "Do I need to send the broken one back?",
      "Okay, thank you for being so helpful.",
    ],
    team: [
      "Hi {name}, I'm so sorry to hear that. Could you send us a photo of the damage so we can sort it out?",
      "Thank you for the photos, that's very clear. We'll make this right.",
      "A replacement is on its way, tracking number {tracking}. It should arrive by {date}.",
      "No need, please recycle it. We'll take it up with the carrier.",
      "It's our pleasure. Let us know if the replacement has any problem at all.",
    ],
    notes: [
      "Damage confirmed from photos; replacement sent without return. Carrier claim filed for {order}.",
      "Third damaged parcel from this warehouse this month, reported to logistics.",
    ],
  },
  {
    subject: "Change of delivery address",
    label: "account",
    customer: [
      "Hi, I've moved. Can you update the delivery address for my order {order}?",
      "The new address is 12 Harbour Street, apartment 4B.",
      "And can you make it the default for future orders too?",
      "Perfect, thank you.",
    ],
    team: [
      "Hi {name}, of course. The order hasn't shipped yet, so I can still change it. What is the new address?",
      "Thanks, I've updated order {order} to 12 Harbour Street, apartment 4B.",
      "Done: it is now the default address on your account.",
      "You're welcome! Enjoy the new place.",
    ],
    notes: ["Address changed before dispatch; warehouse notified."],
  },
  {
    subject: "Cancel my subscription",
    label: "billing",
    customer: [
      "I'd like to cancel my {plan} subscription, please.",
      "It's just too expensive for how much I use it.",
      "A cheaper plan might work actually. What are the options?",
      "Okay, let's switch to the Basic plan then.",
      "Thanks, that's much better.",
    ],
    team: [
      "Hi {name}, I'm sorry to see you go. May I ask why you'd like to cancel?",
      "I understand. Before you go: the Basic plan keeps your history and costs much less.",
      "Basic is {amount} a month with everything you use today except the reports.",
      "Done! You're on the Basic plan from the next billing date, {date}.",
      "Happy to help. You can switch back any time from your account settings.",
    ],
    notes: ["Retention offer accepted: downgraded instead of cancelled."],
  },
  {
    subject: "The app keeps logging me out",
    label: "bug",
    customer: [
      "The app keeps logging me out every few minutes. It started after the last update.",
      "I'm on an iPhone 13, iOS 17, app version 4.2.",
      "I tried reinstalling, same problem.",
      "Thanks, I'll wait for the fix.",
      "The update fixed it, thank you!",
    ],
    team: [
      "Hi {name}, sorry about that. Which phone and app version are you using?",
      "Thank you. We can reproduce it on iOS 17 and our engineers are on it.",
      "Thanks for trying. A fix is going out in version 4.2.1 in the next few days.",
      "I'll let you know as soon as it is released.",
      "Great to hear! Thanks for your patience.",
    ],
    notes: [
      "Known issue after the 4.2 release: session refresh fails on iOS 17. Linked to the bug report.",
      "Customer is on the beta list, could test 4.2.1 early.",
    ],
  },
  {
    subject: "Question about pricing",
    label: "billing",
    customer: [
      "Hi! What's the difference between the Pro and the Enterprise plan?",
      "We're a team of about 40 people.",
      "Is there a discount if we pay yearly?",
      "Sounds good. Can we start with a trial?",
      "Thanks, we'll be in touch.",
    ],
    team: [
      "Hi {name}, thanks for your interest! Pro covers up to 25 users; Enterprise adds single sign-on and unlimited users.",
      "For 40 people the Enterprise plan is the right fit.",
      "Yes: paying yearly saves two months, so {amount} per user per year.",
      "Of course. I've started a 30-day trial of Enterprise on your account.",
      "Looking forward to it. Reply here any time.",
    ],
    notes: ["Sales lead: 40 seats, interested in yearly Enterprise. Passed to the sales team."],
  },
  {
    subject: "Do you ship to Canada?",
    label: "delivery",
    customer: [
      "Do you ship to Canada? I'd like to order a gift for my sister in Toronto.",
      "How much is shipping, and how long does it take?",
      "Are there customs fees on top?",
      "Great, I'll place the order today.",
    ],
    team: [
      "Hi {name}, yes, we ship to Canada!",
      "Standard shipping is {amount} and takes 5 to 8 business days; express takes 2 to 3.",
      "Duties are included in the price at checkout, so nothing extra on delivery.",
      "Wonderful. Your sister is lucky!",
    ],
    notes: ["Asked about international shipping; pointed to the shipping page."],
  },
  {
    subject: "Feature request: export to CSV",
    label: "feedback",
    customer: [
      "Love the product! Any chance you could add an export to CSV for the reports?",
      "We need to share the monthly numbers with our accountant.",
      "Monthly would be enough for us.",
      "Thanks for listening!",
    ],
    team: [
      "Hi {name}, thank you for the kind words! Tell me more about how you'd use the export.",
      "That makes sense. I've passed this to our product team as a feature request.",
      "Noted. Many customers ask for this, so it's high on the list for the next release.",
      "Thank you for the great feedback, {name}!",
    ],
    notes: ["Feature request logged: CSV export of monthly reports (+1 from this customer)."],
  },
];

/** More of a long thread, after a topic's own lines are used up. */
export const customerFillers: readonly string[] = [
  "Thanks. One more thing: could you check my other order, {order}, too?",
  "Sorry, I didn't quite understand. Could you explain that again?",
  "That makes sense. What happens next?",
  "I just tried again and it still doesn't work.",
  "Okay, I'll wait for your reply.",
  "Could you also send me a copy of the invoice?",
  "I appreciate the help, it's been a long week.",
  "Is there a phone number I can call instead?",
];
export const teamFillers: readonly string[] = [
  "Thanks for your patience, {name}. I'm checking this with my colleagues now.",
  "Of course. I'll walk you through it step by step.",
  "I've updated your account; you should see the change within a few minutes.",
  "I've sent the invoice to the e-mail address on your account.",
  "Could you try once more and tell me what you see on the screen?",
  "Next, we'll confirm by e-mail once everything is done, usually by {date}.",
  "You can also reach us by phone on weekdays from 9 to 5.",
  "I'm still here. Let me know if there's anything else.",
];
/** When the customer writes twice in a row. */
export const customerNudges: readonly string[] = [
  "Hello? Is anyone there?",
  "Any update on this?",
  "Just following up on my message above.",
  "Sorry, one more detail: I'm available all afternoon.",
];
/** When the team writes twice in a row. */
export const teamFollowUps: readonly string[] = [
  "Just checking in, {name}: did that solve it?",
  "Following up on my last message, let me know if you need anything else.",
  "I'll leave this open for a couple of days in case you have more questions.",
];
export const genericNotes: readonly string[] = [
  "Customer sounded frustrated; keep replies short and concrete.",
  "VIP customer, priority handling.",
  "Checked the order history, nothing unusual.",
  "Waiting on the warehouse before replying.",
];
export const csatComments: readonly string[] = [
  "Quick and friendly, thanks!",
  "Solved on the first try.",
  "Took a while, but the answer was right.",
  "I had to explain my problem twice.",
  "Very helpful, thank you {agent}.",
];

export const labelNames: readonly (readonly [name: string, color: string])[] = [
  ["billing", "#2563eb"],
  ["delivery", "#d97706"],
  ["account", "#7c3aed"],
  ["bug", "#dc2626"],
  ["feedback", "#059669"],
  ["vip", "#db2777"],
];

export const cannedResponseTexts: readonly (readonly [shortcut: string, title: string, body: string])[] = [
  ["hello", "Greeting", "Hi there, thanks for reaching out! How can I help you today?"],
  ["refund", "Refund on its way", "I've issued the refund; it usually reaches your card within 3 to 5 business days."],
  ["delay", "Delivery delay", "I'm sorry your order is late. I've asked the carrier to prioritise it and will follow up tomorrow."],
  ["reset", "Password reset", "You can reset your password from the sign-in page with \"Forgot password\"; the link is valid for one hour."],
  ["thanks", "Closing", "Thanks for contacting us! I'm closing this conversation; reply any time if you need anything else."],
];
