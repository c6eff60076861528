/* enhancements only; the portal works without JavaScript */
