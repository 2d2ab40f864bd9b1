// Any path no other route claims: a real 404 rendered by the root error boundary.
import { notFound } from "~/lib/http.server";

export async function loader() {
  notFound();
}

export async function action() {
  notFound();
}

export default function NotFound() {
  return null;
}
