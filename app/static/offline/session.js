// On every signed-in page: what this phone keeps for field capture belongs to one person.
// Importing drafts.js also runs it on every signed-in page: forms typed here are kept until the server takes them.
// Someone else signing in (after a sign-out, or after the first person's session ran out) wipes it first,
// and signing out wipes it after a warning if visits have not reached the server.
import { clearFieldData, unsentCount } from "./outbox.js";
import { forgetKeptForms } from "../drafts.js";

const OWNER_KEY = "field-owner";
export const signedInUser = document.querySelector('meta[name="signed-in-user"]')?.content ?? null;

if (signedInUser) {
  const owner = localStorage.getItem(OWNER_KEY);
  // Top-level await: the field page's script imports this module, so it never opens another person's outbox.
  if (owner !== null && owner !== signedInUser) await clearFieldData();
  forgetKeptForms(signedInUser);
  localStorage.setItem(OWNER_KEY, signedInUser);
}

const signOut = document.querySelector("form.sign-out");
signOut?.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const unsent = await unsentCount();
    if (unsent > 0) {
      const visits = unsent === 1 ? "1 visit has" : `${unsent} visits have`;
      const question = `${visits} not reached the server yet. Signing out deletes them from this phone. Sign out anyway?`;
      if (!window.confirm(question)) return;
    }
    await clearFieldData();
  } catch (error) {
    // A browser that refuses storage (some private windows) holds nothing to warn about: sign out all the same.
    console.warn("Field capture storage unavailable:", error);
  }
  localStorage.removeItem(OWNER_KEY);
  forgetKeptForms();
  signOut.submit();
});
