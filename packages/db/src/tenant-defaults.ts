import type { Branding, Features } from "./schema/tenants";

type Tier = "free" | "pro" | "enterprise";

/** What a tenant gets from its tier until its own `features` (or its parent's) override a value. */
export const tierDefaults: Record<Tier, { maxUsers: number; features: Features; requestsPerMinute: number }> = {
  free: {
    maxUsers: 5,
    requestsPerMinute: 600,
    features: {
      voiceAgents: false,
      chatAgents: true,
      callRecording: false,
      analytics: true,
      maxAgents: 2,
      maxConcurrentCalls: 2,
    },
  },
  pro: {
    maxUsers: 50,
    requestsPerMinute: 3000,
    features: {
      voiceAgents: true,
      chatAgents: true,
      callRecording: true,
      analytics: true,
      maxAgents: 20,
      maxConcurrentCalls: 25,
    },
  },
  enterprise: {
    maxUsers: 1000,
    requestsPerMinute: 20000,
    features: {
      voiceAgents: true,
      chatAgents: true,
      callRecording: true,
      analytics: true,
      maxAgents: 200,
      maxConcurrentCalls: 500,
    },
  },
};

export const defaultBranding: Branding = { primaryColor: "#4f46e5", secondaryColor: "#0ea5e9" };
