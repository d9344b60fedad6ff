import { keepPreviousData, useQuery } from "@tanstack/vue-query";
import { computed, toValue, type MaybeRefOrGetter } from "vue";
import { unwrap } from "@keyward/admin-client";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";
import type { ChannelDeliveriesQuery, CreateChannelBody, CreateSubscriptionBody, UpdateChannelBody } from "./types.js";
import { useAdminMutation } from "./use-admin-mutation.js";

/**
 * Notification channels, their delivery history, subscriptions and the scheduler's jobs (owner
 * and admin only). Credentials are write-only: they go out in a mutation's variables (never kept:
 * gcTime 0) and never into a query key; no answer ever holds them.
 */
export const notificationKeys = {
  all: [...keywardKeys.all, "notifications"] as const,
  channels: [...keywardKeys.all, "notifications", "channels"] as const,
  deliveries: [...keywardKeys.all, "notifications", "deliveries"] as const,
  subscriptions: [...keywardKeys.all, "notifications", "subscriptions"] as const,
  jobs: [...keywardKeys.all, "notifications", "jobs"] as const,
};

/** Every channel, by name (never its credentials). */
export function useChannels() {
  const client = useAdminClient();
  return useQuery({ queryKey: notificationKeys.channels, queryFn: () => unwrap(client.GET("/api/channels")) });
}

/** Adds a channel; its credentials are sealed by the server and never shown again. */
export function useCreateChannel() {
  const client = useAdminClient();
  return useAdminMutation((body: CreateChannelBody) => unwrap(client.POST("/api/channels", { body })), [notificationKeys.channels]);
}

/** Enables or disables a channel, changes its settings, or replaces its credentials whole. */
export function useUpdateChannel() {
  const client = useAdminClient();
  return useAdminMutation(({ name, ...body }: UpdateChannelBody & { name: string }) => unwrap(client.PATCH("/api/channels/{name}", { params: { path: { name } }, body })), [notificationKeys.channels]);
}

/** Removes a channel with its subscriptions and delivery history. */
export function useDeleteChannel() {
  const client = useAdminClient();
  return useAdminMutation((name: string) => unwrap(client.DELETE("/api/channels/{name}", { params: { path: { name } } })), [notificationKeys.all]);
}

/** Sends a test message now; answers its delivery (delivered, or dead with the error text). */
export function useTestChannel() {
  const client = useAdminClient();
  return useAdminMutation((name: string) => unwrap(client.POST("/api/channels/{name}/test", { params: { path: { name } } })), [notificationKeys.deliveries]);
}

/** One page of a channel's delivery history, newest first (disabled while `channel` is empty). */
export function useChannelDeliveries(channel: MaybeRefOrGetter<string>, query: MaybeRefOrGetter<ChannelDeliveriesQuery> = {}) {
  const client = useAdminClient();
  const name = computed(() => toValue(channel));
  const params = computed(() => toValue(query));
  return useQuery({
    queryKey: [...notificationKeys.deliveries, name, params],
    queryFn: () => unwrap(client.GET("/api/channels/{name}/deliveries", { params: { path: { name: name.value }, query: params.value } })),
    enabled: computed(() => name.value !== ""),
    placeholderData: keepPreviousData,
  });
}

/** Every subscription (which event types in which environments go to which channel). */
export function useSubscriptions() {
  const client = useAdminClient();
  return useQuery({ queryKey: notificationKeys.subscriptions, queryFn: () => unwrap(client.GET("/api/subscriptions")) });
}

/** Routes event types (all when none) in environments (all when none) to a channel. */
export function useCreateSubscription() {
  const client = useAdminClient();
  return useAdminMutation((body: CreateSubscriptionBody) => unwrap(client.POST("/api/subscriptions", { body })), [notificationKeys.subscriptions]);
}

/** Removes a subscription. */
export function useDeleteSubscription() {
  const client = useAdminClient();
  return useAdminMutation((id: string) => unwrap(client.DELETE("/api/subscriptions/{id}", { params: { path: { id } } })), [notificationKeys.subscriptions]);
}

/** The scheduler's jobs: next and last run, last status and error, the replica holding each. */
export function useJobs() {
  const client = useAdminClient();
  return useQuery({ queryKey: notificationKeys.jobs, queryFn: () => unwrap(client.GET("/api/jobs")) });
}
